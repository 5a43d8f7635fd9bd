#include "indexer/jobs/ranking_diff.hpp"

#include "common/schema.hpp"

#include <algorithm>
#include <unordered_set>

namespace gazette::indexer {

namespace {

/// The article id of a document: its unique Q term (docids differ between generations).
std::string article_id(const Xapian::Document& doc) {
    const std::string prefix(schema::kIdPrefix);
    auto it = doc.termlist_begin();
    it.skip_to(prefix);
    if (it != doc.termlist_end()) {
        const std::string term = *it;
        if (term.compare(0, prefix.size(), prefix) == 0) {
            return term.substr(prefix.size());
        }
    }
    return {};
}

} // namespace

QueryDiff diff_top(std::string query, std::vector<std::string> live_top, std::vector<std::string> candidate_top) {
    QueryDiff d;
    d.query = std::move(query);
    const std::unordered_set<std::string> live_set(live_top.begin(), live_top.end());
    const std::unordered_set<std::string> cand_set(candidate_top.begin(), candidate_top.end());
    std::size_t common = 0;
    for (const auto& id : candidate_top) {
        if (live_set.count(id) != 0) {
            ++common;
        } else {
            d.gained.push_back(id);
        }
    }
    for (const auto& id : live_top) {
        if (cand_set.count(id) == 0) {
            d.lost.push_back(id);
        }
    }
    const std::size_t denom = std::max(live_set.size(), cand_set.size());
    d.overlap = denom == 0 ? 1.0 : static_cast<double>(common) / static_cast<double>(denom);
    d.live_top = std::move(live_top);
    d.candidate_top = std::move(candidate_top);
    return d;
}

std::vector<std::string> top_ids(const Xapian::Database& db, const Analyzer& analyzer, const std::string& query,
                                 Xapian::doccount k) {
    Xapian::QueryParser qp = analyzer.make_query_parser(analyzer.query_language(query), db);
    const Xapian::Query q = qp.parse_query(query, analyzer.query_flags());
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    const Xapian::MSet mset = enquire.get_mset(0, k);
    std::vector<std::string> ids;
    ids.reserve(mset.size());
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        ids.push_back(article_id(it.get_document()));
    }
    return ids;
}

RankingDiff compare_rankings(const Xapian::Database& live, const Xapian::Database& candidate,
                             const Analyzer& analyzer, const std::vector<std::string>& queries, Xapian::doccount k) {
    RankingDiff diff;
    double total = 0.0;
    for (const auto& query : queries) {
        try {
            auto d = diff_top(query, top_ids(live, analyzer, query, k), top_ids(candidate, analyzer, query, k));
            total += d.disagreement();
            diff.queries.push_back(std::move(d));
        } catch (const Xapian::QueryParserError& e) {
            // A sample query searchd would reject says nothing about the new generation.
            QueryDiff d;
            d.query = query;
            d.error = e.get_description();
            diff.queries.push_back(std::move(d));
        }
    }
    const auto counted = static_cast<double>(
        std::count_if(diff.queries.begin(), diff.queries.end(), [](const QueryDiff& d) { return d.error.empty(); }));
    diff.mean_disagreement = counted > 0 ? total / counted : 0.0;
    return diff;
}

} // namespace gazette::indexer
