#include "searchd/search/coordination.hpp"

#include "searchd/search/weighting.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace gazette::searchd {
namespace {

constexpr double kUnbounded = std::numeric_limits<double>::infinity();

/// Weighted leaves of `q`: how many separately weighted terms can add to one score.
/// Infinity when unknown (a posting source, or OP_SCALE_WEIGHT, whose factor Xapian 1.4 does
/// not expose).
double weighted_leaves(const Xapian::Query& q) {
    switch (q.get_type()) {
    case Xapian::Query::LEAF_MATCH_NOTHING:
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE:
        return 0;
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::OP_SYNONYM:  // its terms are weighted as one
    case Xapian::Query::OP_WILDCARD: // expands to OP_SYNONYM (the parser's default)
        return 1;
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_NOT: // only the first subquery is weighted
        return q.get_num_subqueries() == 0 ? 0 : weighted_leaves(q.get_subquery(0));
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_ELITE_SET:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
        break;
    default:
        return kUnbounded;
    }
    double total = 0;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
        total += weighted_leaves(q.get_subquery(i));
    }
    return total;
}

Xapian::Query with_bonus(const Xapian::Query& clause, double bonus) {
    Xapian::Query fixed((new Xapian::FixedWeightPostingSource(bonus))->release());
    return Xapian::Query(Xapian::Query::OP_AND, clause, fixed);
}

std::vector<Xapian::Query> subqueries(const Xapian::Query& q) {
    std::vector<Xapian::Query> out;
    out.reserve(q.get_num_subqueries());
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
        out.push_back(q.get_subquery(i));
    }
    return out;
}

/// The rewrites of a query: with the bonus, and as tiers by matched clauses.
struct Rewritten {
    Xapian::Query ranked;
    std::vector<Xapian::Query> tiers;
};

/// Articles matching at least `k` of `clauses`: the OR of the AND of every k-subset. An
/// article matching exactly k clauses matches exactly one of those ANDs, so its weight is the
/// BM25 of its clauses.
Xapian::Query at_least(const std::vector<Xapian::Query>& clauses, std::size_t k) {
    const std::size_t n = clauses.size();
    if (k <= 1) {
        return Xapian::Query(Xapian::Query::OP_OR, clauses.begin(), clauses.end());
    }
    if (k >= n) {
        return Xapian::Query(Xapian::Query::OP_AND, clauses.begin(), clauses.end());
    }
    std::vector<Xapian::Query> ands;
    std::vector<bool> pick(n, false);
    std::fill(pick.begin(), pick.begin() + static_cast<std::ptrdiff_t>(k), true);
    do {
        std::vector<Xapian::Query> subset;
        for (std::size_t i = 0; i < n; ++i) {
            if (pick[i]) {
                subset.push_back(clauses[i]);
            }
        }
        ands.emplace_back(Xapian::Query::OP_AND, subset.begin(), subset.end());
    } while (std::prev_permutation(pick.begin(), pick.end()));
    return Xapian::Query(Xapian::Query::OP_OR, ands.begin(), ands.end());
}

/// Xapian flattens `(eu OR "european union") sanctions` into one OR of three: puts the
/// clauses of each synonym group back together, in the order of their first clause.
std::vector<Xapian::Query> merge_synonym_clauses(const std::vector<Xapian::Query>& plain,
                                                 const std::vector<std::set<std::string>>* groups) {
    if (groups == nullptr || groups->empty()) {
        return plain;
    }
    std::vector<int> group_of(plain.size(), -1);
    for (std::size_t i = 0; i < plain.size(); ++i) {
        std::vector<std::string> terms(plain[i].get_terms_begin(), plain[i].get_terms_end());
        for (std::size_t g = 0; g < groups->size() && !terms.empty(); ++g) {
            const auto& members = (*groups)[g];
            if (std::all_of(terms.begin(), terms.end(), [&](const std::string& t) { return members.count(t) != 0; })) {
                group_of[i] = static_cast<int>(g);
                break;
            }
        }
    }
    std::vector<Xapian::Query> out;
    std::vector<bool> done(plain.size(), false);
    for (std::size_t i = 0; i < plain.size(); ++i) {
        if (done[i]) {
            continue;
        }
        if (group_of[i] < 0) {
            out.push_back(plain[i]);
            continue;
        }
        std::vector<Xapian::Query> members;
        for (std::size_t j = i; j < plain.size(); ++j) {
            if (group_of[j] == group_of[i]) {
                members.push_back(plain[j]);
                done[j] = true;
            }
        }
        out.push_back(members.size() == 1 ? members.front()
                                           : Xapian::Query(Xapian::Query::OP_OR, members.begin(), members.end()));
    }
    return out;
}

/// Finds the outermost OR along the weighted path and rewrites it; nullopt when there is none.
/// `bonus_query`: also build the bonus form (tests only; nothing serves it).
std::optional<Rewritten> rewrite(const Xapian::Query& q, Xapian::doccount doccount, std::size_t max_clauses,
                                 const std::vector<std::set<std::string>>* groups, bool bonus_query,
                                 CoordinatedQuery& out) {
    const auto type = q.get_type();
    if (type == Xapian::Query::OP_OR && q.get_num_subqueries() >= 2) {
        const auto plain = merge_synonym_clauses(subqueries(q), groups);
        if (plain.size() < 2 || plain.size() > std::min(max_clauses, kMaxCoordinatedClauses)) {
            return std::nullopt;
        }
        const double bound = bm25_weight_bound(q, doccount);
        if (!std::isfinite(bound)) {
            return std::nullopt;
        }
        // A power of ten, so a score reads as (clauses matched) x bonus + BM25.
        out.bonus = std::pow(10.0, std::ceil(std::log10(bound + 1.0)));
        out.clauses = plain.size();
        Rewritten r;
        if (bonus_query) {
            std::vector<Xapian::Query> clauses;
            clauses.reserve(plain.size());
            for (const auto& clause : plain) {
                clauses.push_back(with_bonus(clause, out.bonus));
            }
            r.ranked = Xapian::Query(Xapian::Query::OP_OR, clauses.begin(), clauses.end());
        }
        // Exactly k clauses, for k = n .. 1: at least k, without those with at least k + 1.
        Xapian::Query more = at_least(plain, plain.size());
        r.tiers.push_back(more);
        for (std::size_t k = plain.size() - 1; k >= 1; --k) {
            Xapian::Query this_many = at_least(plain, k);
            r.tiers.emplace_back(Xapian::Query::OP_AND_NOT, this_many, more);
            more = std::move(this_many);
        }
        return r;
    }
    if ((type == Xapian::Query::OP_AND_NOT || type == Xapian::Query::OP_FILTER) && q.get_num_subqueries() >= 2) {
        auto parts = subqueries(q);
        auto first = rewrite(parts[0], doccount, max_clauses, groups, bonus_query, out);
        if (!first) {
            return std::nullopt;
        }
        Rewritten r;
        if (bonus_query) {
            parts[0] = std::move(first->ranked);
            r.ranked = Xapian::Query(type, parts.begin(), parts.end());
        }
        for (auto& tier : first->tiers) {
            parts[0] = std::move(tier);
            r.tiers.emplace_back(type, parts.begin(), parts.end());
        }
        return r;
    }
    if (type == Xapian::Query::OP_AND_MAYBE && q.get_num_subqueries() == 2) {
        // "+must other words": the optional words are the ones a match may have more of; an
        // article with none of them comes last.
        auto parts = subqueries(q);
        auto optional = rewrite(parts[1], doccount, max_clauses, groups, bonus_query, out);
        if (!optional) {
            return std::nullopt;
        }
        Rewritten r;
        if (bonus_query) {
            r.ranked = Xapian::Query(type, parts[0], optional->ranked);
        }
        for (const auto& tier : optional->tiers) {
            r.tiers.emplace_back(Xapian::Query::OP_AND, parts[0], tier);
        }
        r.tiers.emplace_back(Xapian::Query::OP_AND_NOT, parts[0], parts[1]);
        return r;
    }
    return std::nullopt;
}

} // namespace

std::vector<std::set<std::string>> synonym_term_groups(Xapian::QueryParser& qp, unsigned flags,
                                                       const std::vector<std::string>& applied) {
    std::vector<std::set<std::string>> groups;
    for (const auto& alternatives : applied) {
        try {
            const Xapian::Query q = qp.parse_query(alternatives, flags);
            groups.emplace_back(q.get_terms_begin(), q.get_terms_end());
        } catch (const Xapian::QueryParserError&) {
            // The expansion came from the synonyms file and parsed inside q; never expected.
        }
    }
    return groups;
}

double bm25_weight_bound(const Xapian::Query& query, Xapian::doccount doccount) {
    // Xapian's BM25 idf part is log((N - n + 0.5) / (n + 0.5)) (kept positive), at most
    // log(2N + 1); the term-frequency part is below k1 + 1, and the query-frequency part below
    // k3 + 1 = 2.
    const double per_leaf = 2.0 * (kBm25K1 + 1.0) * std::log(2.0 * static_cast<double>(doccount) + 1.0);
    return weighted_leaves(query) * per_leaf;
}

CoordinatedQuery ranked_text(const QueryPlan& plan, const SearchRequest& request, std::size_t max_clauses,
                             Xapian::doccount doccount) {
    if (max_clauses == 0 || request.sort != SortOrder::relevance) {
        return CoordinatedQuery{};
    }
    return coordinate(plan.text, doccount, max_clauses, &plan.synonym_groups);
}

CoordinatedQuery coordinate(const Xapian::Query& text, Xapian::doccount doccount, std::size_t max_clauses,
                            const std::vector<std::set<std::string>>* synonym_groups) {
    CoordinatedQuery out;
    if (auto q = rewrite(text, doccount, max_clauses, synonym_groups, false, out)) {
        out.tiers = std::move(q->tiers);
    } else {
        out = CoordinatedQuery{};
    }
    return out;
}

Xapian::Query bonus_query(const Xapian::Query& text, Xapian::doccount doccount, std::size_t max_clauses,
                          const std::vector<std::set<std::string>>* synonym_groups) {
    CoordinatedQuery out;
    auto q = rewrite(text, doccount, max_clauses, synonym_groups, true, out);
    return q ? q->ranked : text;
}

} // namespace gazette::searchd

namespace gazette::searchd {

SliceResult match_tiers(Xapian::Enquire& enquire, const CoordinatedQuery& coordinated, const QueryPlan& plan,
                        std::size_t offset, std::size_t limit, Xapian::MSet& first_mset,
                        const Xapian::Query* reweight) {
    const auto tier_query = [&](std::size_t t) {
        Xapian::Query q = restrict_to_filters(plan, coordinated.tiers[t]);
        return reweight != nullptr ? Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, *reweight) : q;
    };
    const std::size_t window = offset + limit;
    if (window == 0 && !coordinated.tiers.empty()) {
        // Nothing to rank, but the caller still reads term statistics from first_mset.
        enquire.set_query(tier_query(0));
        first_mset = enquire.get_mset(0, 0);
    }
    std::vector<std::pair<double, Xapian::docid>> ranked;
    ranked.reserve(window);
    for (std::size_t t = 0; t < coordinated.tiers.size() && ranked.size() < window; ++t) {
        // Clauses matched in this tier: all in the first, one fewer in each next; an
        // AND_MAYBE's last tier has none.
        const double matched = t < coordinated.clauses ? static_cast<double>(coordinated.clauses - t) : 0.0;
        enquire.set_query(tier_query(t));
        const auto need = static_cast<Xapian::doccount>(window - ranked.size());
        const Xapian::MSet m = enquire.get_mset(0, need, need + 1);
        for (auto it = m.begin(); it != m.end(); ++it) {
            ranked.emplace_back(it.get_weight() + matched * coordinated.bonus, *it);
        }
        if (t == 0) {
            first_mset = m;
        }
    }
    SliceResult page;
    for (std::size_t i = offset; i < ranked.size() && i < window; ++i) {
        page.top.push_back(ranked[i]);
    }
    return page;
}

} // namespace gazette::searchd
