#include "indexer/jobs/index_job.hpp"

#include "common/logging.hpp"
#include "indexer/ingest.hpp"
#include "indexer/jobs/reindex_job.hpp"
#include "indexer/readers/reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <future>
#include <stdexcept>

namespace fs = std::filesystem;

namespace gazette::indexer {

namespace {

/// Files to read: explicit files as given; folders walked recursively (sorted, hidden entries
/// and unknown extensions skipped).
std::vector<fs::path> expand_paths(const std::vector<fs::path>& paths) {
    std::vector<fs::path> files;
    for (const auto& p : paths) {
        if (fs::is_directory(p)) {
            std::vector<fs::path> found;
            for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied);
                 it != fs::recursive_directory_iterator(); ++it) {
                const auto name = it->path().filename().string();
                if (!name.empty() && name[0] == '.') {
                    if (it->is_directory()) {
                        it.disable_recursion_pending();
                    }
                    continue;
                }
                if (it->is_regular_file() && format_from_path(it->path())) {
                    found.push_back(it->path());
                }
            }
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else {
            files.push_back(p); // missing or unknown files become per-file errors
        }
    }
    return files;
}

/// Articles in a file, for the progress total: lines for JSON Lines, 1 otherwise.
std::uint64_t estimate_articles(const fs::path& file) {
    const auto fmt = format_from_path(file);
    if (!fmt || *fmt != InputFormat::jsonl) {
        return 1;
    }
    std::ifstream in(file, std::ios::binary);
    std::uint64_t lines = 0;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        lines += static_cast<std::uint64_t>(std::count(buf, buf + in.gcount(), '\n'));
    }
    return std::max<std::uint64_t>(lines, 1);
}

/// Reads every file, dead-letters rejected articles and hands valid ones to `sink` in order.
void read_articles(WriterContext& ctx, const std::vector<fs::path>& files, IndexSummary& summary,
                   Progress& progress, const std::function<void(ArchiveRecord&&)>& sink) {
    ReaderOptions options;
    options.extra_patterns = ctx.config().indexer.boilerplate_patterns;
    Reader reader(options);
    auto log = logger("index");
    for (const auto& file : files) {
        std::error_code ec;
        summary.bytes += fs::is_regular_file(file, ec) ? fs::file_size(file, ec) : 0;
        reader.read_file(file, [&](ParsedItem&& item) {
            if (!item.article) {
                ++summary.rejected;
                const auto where = item.where.to_string();
                const auto dl = ctx.dead_letter().write(item.where, item.id, item.article.error());
                log->warn("rejected {}{}: {} ({})", where, item.id.empty() ? "" : fmt::format(" id={}", item.id),
                          item.article.error().message, dl.filename().string());
                progress.advance(1, 1);
                return;
            }
            ArchiveRecord r;
            r.op = ArchiveRecord::Op::upsert;
            r.id = item.article->id;
            r.article = std::move(*item.article);
            sink(std::move(r));
        });
    }
}

/// Bulk import: archive everything (durable), then one sharded build of the whole archive.
void run_bulk_import(WriterContext& ctx, const std::vector<fs::path>& files, std::uint64_t total,
                     std::FILE* progress_out, IndexSummary& summary) {
    summary.bulk = true;
    const std::size_t batch_size = std::max<std::size_t>(1000, ctx.config().indexer.batch_size);
    std::size_t archived = 0;
    {
        Progress progress("archive", total, progress_out);
        std::vector<ArchiveRecord> batch;
        auto flush = [&] {
            if (!batch.empty()) {
                ctx.archive().append(batch);
                progress.advance(batch.size());
                archived += batch.size();
                batch.clear();
            }
        };
        read_articles(ctx, files, summary, progress, [&](ArchiveRecord&& r) {
            batch.push_back(std::move(r));
            if (batch.size() >= batch_size) {
                flush();
            }
        });
        flush();
        progress.finish();
    }
    Progress progress("build", 0, progress_out);
    ReindexJobOptions options;
    // The new articles are meant to change rankings: the reindex diff bound guards analyser
    // changes, not imports.
    options.force = true;
    const std::atomic<bool> never_cancelled{false};
    auto built = run_reindex(ctx, options, progress, never_cancelled);
    progress.finish();
    if (!built) {
        throw std::runtime_error(fmt::format("{} articles are archived, but building the generation failed: {}; "
                                             "run `gazette-indexer reindex` to build them",
                                             archived, built.error().message));
    }
    summary.generation = built->generation;
    summary.indexed = archived;
    logger("index")->info("bulk import: {} articles archived, generation {} built by {} shard builders "
                          "(build {:.1f}s, merge {:.1f}s) and published",
                          archived, built->generation, built->shards, built->build_seconds, built->merge_seconds);
}

} // namespace

IndexSummary run_index(WriterContext& ctx, const std::vector<fs::path>& paths, std::FILE* progress_out,
                       BulkMode bulk) {
    const auto start = std::chrono::steady_clock::now();
    IndexSummary summary;
    const auto files = expand_paths(paths);
    summary.files = files.size();
    std::uint64_t total = 0;
    for (const auto& f : files) {
        total += estimate_articles(f);
    }
    const bool fresh = !ctx.data_dir().live_generation().has_value();
    if (bulk == BulkMode::always || (bulk == BulkMode::automatic && fresh && total >= kBulkImportMin)) {
        run_bulk_import(ctx, files, total, progress_out, summary);
        summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return summary;
    }

    summary.generation = ensure_live_generation(ctx);
    IndexWriter writer(ctx.data_dir().generation_path(summary.generation), false);
    ParallelBuilder pool(ctx.builder(), ctx.threads());
    const std::size_t batch_size = std::max<std::size_t>(1, ctx.config().indexer.batch_size);
    summary.replayed = replay_archive(ctx, writer, pool, batch_size, nullptr);
    Progress progress("index", total, progress_out);

    std::vector<ArchiveRecord> batch;
    // The writer stores batch k on its own thread while the pool analyses batch k+1: analysis
    // and Xapian's writing take about the same time, so alternating them left half the
    // machine idle. The writer is still only ever used by one thread at a time.
    struct Built {
        std::vector<ArchiveRecord> records;
        std::vector<Xapian::Document> docs;
    };
    Built writing_batch;
    std::future<void> writing;
    auto finish_write = [&] {
        if (writing.valid()) {
            writing.get(); // rethrows a writer failure here, on the job's thread
            summary.indexed += writing_batch.records.size();
        }
    };
    auto flush = [&] {
        if (batch.empty()) {
            return;
        }
        ctx.archive().append(batch); // durable before it is indexed
        auto docs = build_documents(pool, batch);
        finish_write();
        writing_batch = Built{std::move(batch), std::move(docs)};
        batch.clear();
        writing = std::async(std::launch::async, [&writer, &writing_batch, &progress] {
            apply_records(writer, writing_batch.records, writing_batch.docs);
            writer.commit(writing_batch.records.back().seq);
            progress.advance(writing_batch.records.size());
        });
    };
    read_articles(ctx, files, summary, progress, [&](ArchiveRecord&& r) {
        batch.push_back(std::move(r));
        if (batch.size() >= batch_size) {
            flush();
        }
    });
    flush();
    finish_write();
    progress.finish();
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

} // namespace gazette::indexer
