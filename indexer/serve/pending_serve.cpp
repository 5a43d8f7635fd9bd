// Temporary placeholder until the serve daemon lands; says so when run.
#include "indexer/commands.hpp"

#include <cstdio>

namespace gazette::indexer {
int command_serve(const Config&, const ServeOptions&) { std::fputs("serve: unavailable in this build\n", stderr); return 1; }
} // namespace gazette::indexer
