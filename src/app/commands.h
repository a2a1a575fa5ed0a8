// numberpool/app/commands.h
//
// The subcommands of the numberpool binary: serve, seed and search. Each returns the process
// exit status. Wiring only: the work is done by the modules.
//
// Thread-safety: run once from main().

#ifndef NUMBERPOOL_APP_COMMANDS_H_
#define NUMBERPOOL_APP_COMMANDS_H_

namespace numberpool::app {

int ServeCommand(int argc, char** argv);
int SeedCommand(int argc, char** argv);
int SearchCommand(int argc, char** argv);
int KeysCommand(int argc, char** argv);

}  // namespace numberpool::app

#endif  // NUMBERPOOL_APP_COMMANDS_H_
