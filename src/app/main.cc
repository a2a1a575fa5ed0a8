// The numberpool binary: dispatches to a subcommand.

#include <cstdio>
#include <cstring>

#include "app/commands.h"

namespace {

constexpr char kUsage[] =
    "usage: numberpool <command> [options]\n"
    "\n"
    "A phone-number inventory that speaks Amazon Chime's SearchAvailablePhoneNumbers API.\n"
    "\n"
    "commands:\n"
    "  serve    run the HTTP service (creates the default inventory on first start)\n"
    "  seed     (re)create the default inventory in a data dir\n"
    "  search   run one search against a data dir, without a server\n"
    "  keys     create, list, disable, enable and delete access keys\n"
    "\n"
    "'numberpool <command> --help' explains each command's options.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 1 : 0;
  }
  if (!std::strcmp(argv[1], "serve")) return numberpool::app::ServeCommand(argc, argv);
  if (!std::strcmp(argv[1], "seed")) return numberpool::app::SeedCommand(argc, argv);
  if (!std::strcmp(argv[1], "search")) return numberpool::app::SearchCommand(argc, argv);
  if (!std::strcmp(argv[1], "keys")) return numberpool::app::KeysCommand(argc, argv);
  std::fprintf(stderr, "numberpool: unknown command '%s'\n\n%s", argv[1], kUsage);
  return 1;
}
