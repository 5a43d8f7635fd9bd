#include "indexer/jobs/verify_job.hpp"

#include "common/schema.hpp"
#include "indexer/writer.hpp"

#include <xapian.h>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <unordered_set>

namespace gazette::indexer {

Result<VerifyReport> run_verify(const DataDir& dd, const Archive& archive, const std::string& gen,
                                std::size_t list_limit) {
    VerifyReport report;
    if (gen.empty()) {
        const auto live = dd.live_generation();
        if (!live) {
            return Error(ErrorCode::not_found, "verify: there is no live generation");
        }
        report.generation = *live;
    } else {
        report.generation = gen;
    }
    const auto path = dd.generation_path(report.generation);
    if (!std::filesystem::exists(path)) {
        return Error(ErrorCode::not_found, fmt::format("verify: generation '{}' does not exist", report.generation));
    }
    const Xapian::Database db(path.string());
    report.documents = db.get_doccount();
    report.schema_version = db.get_metadata(std::string(schema::kMetaSchemaVersion));
    const std::string seq = db.get_metadata(std::string(kMetaArchiveSeq));
    report.index_seq = seq.empty() ? 0 : std::stoull(seq);
    report.archive_seq = archive.last_seq();

    if (report.schema_version != std::to_string(schema::kSchemaVersion)) {
        report.problems.push_back(fmt::format("schema version is '{}', this build writes {} (run reindex)",
                                              report.schema_version, schema::kSchemaVersion));
    }

    const auto ids = archive.live_ids(report.index_seq);
    report.archive_ids = ids.size();
    const std::unordered_set<std::string> expected(ids.begin(), ids.end());

    // Every Q term is one indexed id; its term frequency counts the documents holding it.
    const std::string prefix(schema::kIdPrefix);
    std::unordered_set<std::string> indexed;
    std::size_t with_id = 0;
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
        const std::string id = (*it).substr(prefix.size());
        const auto freq = it.get_termfreq();
        with_id += freq;
        if (freq > 1) {
            ++report.duplicate_count;
        }
        if (expected.count(id) == 0) {
            ++report.extra_count;
            report.extra.push_back(id);
        }
        indexed.insert(id);
    }
    report.without_id = report.documents > with_id ? report.documents - with_id : 0;
    for (const auto& id : ids) {
        if (indexed.count(id) == 0) {
            ++report.missing_count;
            report.missing.push_back(id);
        }
    }
    for (auto* list : {&report.missing, &report.extra}) {
        std::sort(list->begin(), list->end());
        if (list->size() > list_limit) {
            list->resize(list_limit);
        }
    }

    if (report.documents != report.archive_ids) {
        report.problems.push_back(fmt::format("{} documents but {} live ids in the archive (up to seq {})",
                                              report.documents, report.archive_ids, report.index_seq));
    }
    if (report.missing_count > 0) {
        report.problems.push_back(fmt::format("{} archive ids have no document", report.missing_count));
    }
    if (report.extra_count > 0) {
        report.problems.push_back(fmt::format("{} documents have ids the archive does not hold", report.extra_count));
    }
    if (report.duplicate_count > 0) {
        report.problems.push_back(fmt::format("{} ids are held by more than one document", report.duplicate_count));
    }
    if (report.without_id > 0) {
        report.problems.push_back(fmt::format("{} documents have no id term", report.without_id));
    }
    return report;
}

} // namespace gazette::indexer
