#include "searchd/search/explain.hpp"

#include "common/schema.hpp"
#include "searchd/search/weighting.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace gazette::searchd {
namespace {

bool starts_with(std::string_view s, std::string_view p) noexcept { return s.substr(0, p.size()) == p; }

} // namespace

const char* term_field(std::string_view term) noexcept {
    if (starts_with(term, "Z")) {
        term.remove_prefix(1); // stemmed form: the field is after the Z
    }
    if (term.empty()) {
        return "text";
    }
    if (starts_with(term, schema::kSourcePrefix)) {
        return "source";
    }
    if (starts_with(term, schema::kTopicPrefix)) {
        return "topic";
    }
    if (starts_with(term, schema::kAuthorTextPrefix)) {
        return "author";
    }
    if (starts_with(term, schema::kSourceTextPrefix)) {
        return "source";
    }
    switch (term.front()) {
    case 'S':
        return "title";
    case 'A':
        return "author";
    case 'L':
        return "lang";
    case 'K':
        return "tag";
    case 'Q':
        return "id";
    case 'D':
    case 'M':
    case 'Y':
        return "date";
    default:
        return "text";
    }
}

bool is_weighted_term(std::string_view term) noexcept {
    if (term.empty()) {
        return false;
    }
    const char c = term.front();
    if (c == 'Z' || !(c >= 'A' && c <= 'Z')) {
        return true;
    }
    if (starts_with(term, schema::kSourcePrefix) || starts_with(term, schema::kTopicPrefix)) {
        return false;
    }
    return c == 'S' || starts_with(term, schema::kAuthorTextPrefix) ||
           starts_with(term, schema::kSourceTextPrefix);
}

void explain_hits(const Xapian::Database& db, const Xapian::Query& query, const Xapian::Enquire& enquire,
                  const std::vector<Xapian::docid>& docids, std::vector<Hit>& hits,
                  const std::map<std::string, double>* feedback_scale,
                  const CoordinatedQuery* coordinated) {
    // wqf of each query term: how often it occurs in the query.
    std::map<std::string, Xapian::termcount> wqf;
    for (auto t = query.get_terms_begin(); t != query.get_terms_end(); ++t) {
        ++wqf[*t];
    }
    // Matched terms per hit, and the set of all of them.
    std::set<std::string> all;
    std::vector<std::vector<std::string>> matched(hits.size());
    for (std::size_t i = 0; i < docids.size() && i < hits.size(); ++i) {
        for (auto t = enquire.get_matching_terms_begin(docids[i]); t != enquire.get_matching_terms_end(docids[i]);
             ++t) {
            matched[i].push_back(*t);
            all.insert(*t);
        }
    }
    // One Enquire per weighted term, restricted to the hits: weight of that term alone.
    std::vector<Xapian::Query> ids;
    for (const Hit& h : hits) {
        ids.emplace_back(std::string(schema::kIdPrefix) + h.id);
    }
    const Xapian::Query id_filter(Xapian::Query::OP_OR, ids.begin(), ids.end());
    std::map<std::string, std::map<Xapian::docid, double>> weights;
    for (const auto& term : all) {
        if (!is_weighted_term(term)) {
            continue;
        }
        Xapian::Enquire e(db);
        e.set_weighting_scheme(ranking_weight());
        const auto it = wqf.find(term);
        const Xapian::termcount q_wqf = it == wqf.end() ? 1 : it->second;
        e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(term, q_wqf), id_filter));
        const Xapian::MSet m = e.get_mset(0, static_cast<Xapian::doccount>(hits.size()));
        for (auto w = m.begin(); w != m.end(); ++w) {
            weights[term][*w] = w.get_weight();
        }
    }
    for (std::size_t i = 0; i < docids.size() && i < hits.size(); ++i) {
        const Xapian::docid docid = docids[i];
        Hit& hit = hits[i];
        hit.explained = true;
        for (const auto& term : matched[i]) {
            TermContribution c;
            c.term = term;
            c.field = term_field(term);
            double factor = 1.0;
            if (feedback_scale != nullptr) {
                if (auto f = feedback_scale->find(term); f != feedback_scale->end() && wqf.count(term) == 0) {
                    c.field = "feedback";
                    factor = f->second;
                }
            }
            if (auto w = weights.find(term); w != weights.end()) {
                if (auto d = w->second.find(docid); d != w->second.end()) {
                    c.weight = d->second * factor;
                }
            }
            hit.explanation.push_back(std::move(c));
        }
        if (coordinated != nullptr && coordinated->bonus > 0) {
            // What the terms do not explain is whole bonuses (BM25 stays below one bonus).
            double terms = 0;
            for (const auto& c : hit.explanation) {
                terms += c.weight;
            }
            const double clauses = std::clamp(std::round((hit.score - terms) / coordinated->bonus), 0.0,
                                              static_cast<double>(coordinated->clauses));
            TermContribution c;
            c.term = fmt::format("{} of {} clauses matched", static_cast<int>(clauses), coordinated->clauses);
            c.field = "coordination";
            c.weight = clauses * coordinated->bonus;
            hit.explanation.push_back(std::move(c));
        }
    }
}

} // namespace gazette::searchd
