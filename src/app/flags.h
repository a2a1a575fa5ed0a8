// numberpool/app/flags.h
//
// FlagSet: the command line of one subcommand. Flags are `--name value` or `--name=value`;
// every flag has a default and a help text, and `--help` prints them all.
//
// Thread-safety: not thread-safe; used once at start-up.

#ifndef NUMBERPOOL_APP_FLAGS_H_
#define NUMBERPOOL_APP_FLAGS_H_

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace numberpool::app {

class FlagSet final {
 public:
  FlagSet(std::string usage, std::string summary)
      : usage_(std::move(usage)), summary_(std::move(summary)) {}

  // Declares --name. `default_text` is shown in --help ("" for none).
  void Add(std::string name, std::string default_text, std::string help);

  // Parses argv[first..argc). kBadRequest naming the flag on an unknown flag, a missing value,
  // a flag given twice or a stray argument.
  [[nodiscard]] Status Parse(int argc, char** argv, int first);

  bool help_requested() const { return help_requested_; }
  std::string Help() const;

  // The value given for --name, if any.
  const std::optional<std::string>& Get(const std::string& name) const;

 private:
  struct Flag {
    std::string name;
    std::string default_text;
    std::string help;
    std::optional<std::string> value;
  };
  Flag* Find(const std::string& name);

  std::string usage_;
  std::string summary_;
  std::vector<Flag> flags_;
  bool help_requested_ = false;
};

// Parses a whole decimal number in [min, max]; kBadRequest naming `flag` otherwise.
[[nodiscard]] Result<long long> ParseIntFlag(const std::string& flag, const std::string& text,
                                             long long min, long long max);

}  // namespace numberpool::app

#endif  // NUMBERPOOL_APP_FLAGS_H_
