#include "indexer/jobs/catch_up.hpp"

#include "indexer/ingest.hpp"
#include "indexer/writer.hpp"

#include <algorithm>

namespace gazette::indexer {

std::size_t catch_up_generation(WriterContext& ctx, const std::filesystem::path& db_path) {
    IndexWriter writer(db_path, false);
    if (writer.committed_seq() >= ctx.archive().last_seq()) {
        return 0; // nothing new: skip starting the builder threads
    }
    ParallelBuilder pool(ctx.builder(), ctx.threads());
    return replay_archive(ctx, writer, pool, std::max<std::size_t>(1, ctx.config().indexer.batch_size), nullptr);
}

} // namespace gazette::indexer
