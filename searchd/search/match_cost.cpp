#include "searchd/search/match_cost.hpp"

#include <limits>

namespace gazette::searchd {
namespace {

constexpr std::uint64_t kUnknown = std::numeric_limits<std::uint64_t>::max();

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
    return a > kUnknown - b ? kUnknown : a + b;
}

std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
    return b != 0 && a > kUnknown / b ? kUnknown : a * b;
}

std::uint64_t bound(const Xapian::Query& q, std::uint64_t doccount, std::uint64_t factor) {
    switch (q.get_type()) {
    case Xapian::Query::LEAF_MATCH_NOTHING:
        return 0;
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE:
        return saturating_mul(doccount, factor);
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
        factor = saturating_mul(factor, 4);
        break;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_ELITE_SET:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_SCALE_WEIGHT:
        break;
    default: // wildcards, edit distance, posting sources, anything newer: unknown cost
        return kUnknown;
    }
    std::uint64_t total = 0;
    const std::size_t n = q.get_num_subqueries();
    for (std::size_t i = 0; i < n; ++i) {
        total = saturating_add(total, bound(q.get_subquery(i), doccount, factor));
    }
    return total;
}

} // namespace

std::uint64_t posting_bound(const Xapian::Query& query, Xapian::doccount doccount) {
    return bound(query, doccount, 1);
}

} // namespace gazette::searchd
