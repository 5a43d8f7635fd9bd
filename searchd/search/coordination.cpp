#include "searchd/search/coordination.hpp"

#include "searchd/search/weighting.hpp"

#include <cmath>
#include <limits>
#include <optional>
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

/// The two rewrites of a query: with the bonus, and with every clause required.
struct Rewritten {
    Xapian::Query ranked;
    Xapian::Query all;
};

/// Finds the outermost OR along the weighted path and rewrites it; nullopt when there is none.
std::optional<Rewritten> rewrite(const Xapian::Query& q, Xapian::doccount doccount, std::size_t max_clauses,
                                 CoordinatedQuery& out) {
    const auto type = q.get_type();
    if (type == Xapian::Query::OP_OR && q.get_num_subqueries() >= 2) {
        if (q.get_num_subqueries() > max_clauses) {
            return std::nullopt;
        }
        const double bound = bm25_weight_bound(q, doccount);
        if (!std::isfinite(bound)) {
            return std::nullopt;
        }
        // A power of ten, so a score reads as (clauses matched) x bonus + BM25.
        out.bonus = std::pow(10.0, std::ceil(std::log10(bound + 1.0)));
        out.clauses = q.get_num_subqueries();
        const auto plain = subqueries(q);
        std::vector<Xapian::Query> clauses;
        clauses.reserve(plain.size());
        for (const auto& clause : plain) {
            clauses.push_back(with_bonus(clause, out.bonus));
        }
        return Rewritten{Xapian::Query(Xapian::Query::OP_OR, clauses.begin(), clauses.end()),
                         Xapian::Query(Xapian::Query::OP_AND, plain.begin(), plain.end())};
    }
    if ((type == Xapian::Query::OP_AND_NOT || type == Xapian::Query::OP_FILTER) && q.get_num_subqueries() >= 2) {
        auto parts = subqueries(q);
        auto first = rewrite(parts[0], doccount, max_clauses, out);
        if (!first) {
            return std::nullopt;
        }
        parts[0] = std::move(first->ranked);
        Xapian::Query ranked(type, parts.begin(), parts.end());
        parts[0] = std::move(first->all);
        return Rewritten{std::move(ranked), Xapian::Query(type, parts.begin(), parts.end())};
    }
    if (type == Xapian::Query::OP_AND_MAYBE && q.get_num_subqueries() == 2) {
        // "+must other words": the optional words are the ones a match may have more of.
        auto parts = subqueries(q);
        auto optional = rewrite(parts[1], doccount, max_clauses, out);
        if (!optional) {
            return std::nullopt;
        }
        return Rewritten{Xapian::Query(type, parts[0], optional->ranked),
                         Xapian::Query(Xapian::Query::OP_AND, parts[0], optional->all)};
    }
    return std::nullopt;
}

} // namespace

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
        return CoordinatedQuery{plan.text, plan.text, 0, 0};
    }
    return coordinate(plan.text, doccount, max_clauses);
}

CoordinatedQuery coordinate(const Xapian::Query& text, Xapian::doccount doccount, std::size_t max_clauses) {
    CoordinatedQuery out;
    if (auto q = rewrite(text, doccount, max_clauses, out)) {
        out.query = std::move(q->ranked);
        out.all = std::move(q->all);
    } else {
        out = CoordinatedQuery{text, text, 0, 0};
    }
    return out;
}

} // namespace gazette::searchd
