#include "app/flags.h"

#include <cassert>

namespace numberpool::app {

void FlagSet::Add(std::string name, std::string default_text, std::string help) {
  flags_.push_back({std::move(name), std::move(default_text), std::move(help), std::nullopt});
}

FlagSet::Flag* FlagSet::Find(const std::string& name) {
  for (Flag& f : flags_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const std::optional<std::string>& FlagSet::Get(const std::string& name) const {
  for (const Flag& f : flags_) {
    if (f.name == name) return f.value;
  }
  assert(false && "undeclared flag");
  static const std::optional<std::string> none;
  return none;
}

Status FlagSet::Parse(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help_requested_ = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) return BadRequest("unexpected argument '" + arg + "'");
    std::optional<std::string> value;
    if (const size_t eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    }
    Flag* flag = Find(arg.substr(2));
    if (!flag) return BadRequest("unknown flag " + arg + " (see --help)");
    if (!value) {
      if (i + 1 >= argc) return BadRequest("flag " + arg + " needs a value");
      value = argv[++i];
    }
    if (flag->value) return BadRequest("flag " + arg + " is given more than once");
    flag->value = std::move(value);
  }
  return Ok{};
}

std::string FlagSet::Help() const {
  std::string out = "usage: " + usage_ + "\n\n" + summary_ + "\n";
  if (!flags_.empty()) out += "\noptions:\n";
  for (const Flag& f : flags_) {
    out += "  --" + f.name + "\n      " + f.help;
    if (!f.default_text.empty()) out += " (default: " + f.default_text + ")";
    out += "\n";
  }
  out += "  --help\n      show this help\n";
  return out;
}

Result<long long> ParseIntFlag(const std::string& flag, const std::string& text, long long min,
                               long long max) {
  const auto bad = [&] {
    return BadRequest("--" + flag + " must be a whole number from " + std::to_string(min) + " to " +
                      std::to_string(max) + ", not '" + text + "'");
  };
  if (text.empty() || text.size() > 18) return bad();
  long long v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return bad();
    v = v * 10 + (c - '0');
  }
  if (v < min || v > max) return bad();
  return v;
}

}  // namespace numberpool::app
