// Temporary placeholders until the operations work lands; each says so when run.
#include "indexer/commands.hpp"

#include <cstdio>

namespace gazette::indexer {
int command_reindex(const Config&, const ReindexOptions&) { std::fputs("reindex: unavailable in this build\n", stderr); return 1; }
int command_retag(const Config&) { std::fputs("retag: unavailable in this build\n", stderr); return 1; }
int command_compact(const Config&) { std::fputs("compact: unavailable in this build\n", stderr); return 1; }
int command_verify(const Config&) { std::fputs("verify: unavailable in this build\n", stderr); return 1; }
} // namespace gazette::indexer
