#include "indexer/ingest.hpp"

#include "common/logging.hpp"

namespace gazette::indexer {

std::vector<Xapian::Document> build_documents(ParallelBuilder& pool, std::vector<ArchiveRecord>& records) {
    std::vector<Article*> upserts;
    for (auto& r : records) {
        if (r.op == ArchiveRecord::Op::upsert) {
            upserts.push_back(&r.article);
        }
    }
    std::vector<Xapian::Document> docs(upserts.size());
    pool.for_each(upserts.size(), [&](std::size_t i, Xapian::TermGenerator& tg) {
        docs[i] = pool.builder().build(*upserts[i], tg);
    });
    return docs;
}

void apply_records(IndexWriter& writer, const std::vector<ArchiveRecord>& records,
                   const std::vector<Xapian::Document>& docs) {
    std::size_t next = 0;
    for (const auto& r : records) {
        if (r.op == ArchiveRecord::Op::upsert) {
            writer.upsert(r.article.id, docs[next++]);
        } else {
            writer.remove(r.id);
        }
    }
}

void index_records(IndexWriter& writer, ParallelBuilder& pool, std::vector<ArchiveRecord>& records) {
    const auto docs = build_documents(pool, records);
    apply_records(writer, records, docs);
}

std::string ensure_live_generation(WriterContext& ctx) {
    const auto& dd = ctx.data_dir();
    if (auto live = dd.live_generation()) {
        return *live;
    }
    const std::string gen = dd.allocate_generation();
    {
        IndexWriter writer(dd.generation_path(gen), true);
        writer.commit(0);
    }
    dd.publish_live(gen);
    logger("index")->info("created generation={} (no live generation existed)", gen);
    return gen;
}

std::size_t replay_archive(WriterContext& ctx, IndexWriter& writer, ParallelBuilder& pool, std::size_t batch,
                           Progress* progress) {
    const std::uint64_t from = writer.committed_seq();
    const std::uint64_t to = ctx.archive().last_seq();
    if (to <= from) {
        return 0;
    }
    if (progress != nullptr) {
        progress->set_total(to - from);
    }
    std::size_t replayed = 0;
    std::vector<ArchiveRecord> pending;
    auto flush = [&] {
        if (pending.empty()) {
            return;
        }
        const std::uint64_t seq = pending.back().seq;
        index_records(writer, pool, pending);
        writer.commit(seq);
        if (progress != nullptr) {
            progress->advance(pending.size());
        }
        replayed += pending.size();
        pending.clear();
    };
    ctx.archive().scan(
        from,
        [&](ArchiveRecord&& r) {
            pending.push_back(std::move(r));
            if (pending.size() >= batch) {
                flush();
            }
        },
        [](const std::string& err) { logger("index")->warn("archive: skipped malformed record: {}", err); });
    flush();
    return replayed;
}

} // namespace gazette::indexer
