#pragma once
/// The job kinds `serve` offers through POST /jobs/{kind}, bound to the operations code in
/// indexer/jobs/. Each job runs on the JobManager's thread, holds the taxonomy lock shared
/// (so a SIGHUP reload waits for it), and does its final catch-up and swap inside the
/// writer's exclusive section (WriterLoop::run_exclusive): the writer pauses between batches
/// with everything committed, so the new generation contains every acknowledged article, and
/// afterwards the writer reopens on the new live generation.

#include "indexer/serve/job_manager.hpp"
#include "indexer/serve/writer_loop.hpp"

#include <map>
#include <shared_mutex>
#include <string>

namespace gazette::indexer::serve {

/// Kinds: "reindex" (params: force=true, no_swap=true), "retag", "compact", "verify"
/// (param: generation=gNNNNNN; read-only).
std::map<std::string, JobFn> serve_job_kinds(WriterContext& ctx, WriterLoop& writer, std::shared_mutex& taxonomy_lock);

} // namespace gazette::indexer::serve
