#include "searchd/search/match_set.hpp"

#include "common/schema.hpp"
#include "searchd/search/facet_columns.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gazette::searchd {
namespace {

/// Inclusive bounds of a date filter, as FacetColumns::dates() numbers.
struct DateBounds {
    std::uint32_t lo = 1; // 0 is "undated", which no value filter matches
    std::uint32_t hi = 99999999;
};

/// The bounds of a VALUE_RANGE/GE/LE leaf on the date slot with eight-digit bounds, else
/// nullopt. Xapian 1.4 has no accessors for a value leaf's slot and bounds; its description
/// ("Query(VALUE_RANGE 0 20220201 20220630)") is the only public view of them. Bounds are not
/// escaped there (a space would be ambiguous), hence the strict eight-digit parse: anything
/// else goes to the matcher.
std::optional<DateBounds> date_bounds(const Xapian::Query& query) {
    const std::string desc = query.get_description();
    std::string_view s(desc);
    constexpr std::string_view open = "Query(";
    if (!s.starts_with(open) || !s.ends_with(')')) {
        return std::nullopt;
    }
    s = s.substr(open.size(), s.size() - open.size() - 1);
    std::vector<std::string_view> tokens;
    while (!s.empty()) {
        const std::size_t space = s.find(' ');
        tokens.push_back(s.substr(0, space));
        s = space == std::string_view::npos ? std::string_view() : s.substr(space + 1);
    }
    const auto type = query.get_type();
    const std::size_t want = type == Xapian::Query::OP_VALUE_RANGE ? 4 : 3;
    const std::string slot = std::to_string(schema::kSlotDate);
    if (tokens.size() != want || tokens[1] != slot) {
        return std::nullopt;
    }
    DateBounds b;
    const std::uint32_t first = eight_digits(tokens[2]);
    if (first == 0) {
        return std::nullopt;
    }
    if (type == Xapian::Query::OP_VALUE_RANGE && tokens[0] == "VALUE_RANGE") {
        b.lo = first;
        b.hi = eight_digits(tokens[3]);
        if (b.hi == 0) {
            return std::nullopt;
        }
    } else if (type == Xapian::Query::OP_VALUE_GE && tokens[0] == "VALUE_GE") {
        b.lo = first;
    } else if (type == Xapian::Query::OP_VALUE_LE && tokens[0] == "VALUE_LE") {
        b.hi = first;
    } else {
        return std::nullopt;
    }
    return b;
}

} // namespace

void DocSet::fill() noexcept {
    for (auto& w : words_) {
        w = ~std::uint64_t{0};
    }
    words_[0] &= ~std::uint64_t{1}; // docid 0 does not exist
    const unsigned tail = (last_ & 63) + 1; // bits used in the last word
    if (tail < 64) {
        words_.back() &= (std::uint64_t{1} << tail) - 1;
    }
}

void DocSet::unite(const DocSet& o) noexcept {
    for (std::size_t i = 0; i < words_.size() && i < o.words_.size(); ++i) {
        words_[i] |= o.words_[i];
    }
}

void DocSet::intersect(const DocSet& o) noexcept {
    for (std::size_t i = 0; i < words_.size(); ++i) {
        words_[i] &= i < o.words_.size() ? o.words_[i] : 0;
    }
}

void DocSet::subtract(const DocSet& o) noexcept {
    for (std::size_t i = 0; i < words_.size() && i < o.words_.size(); ++i) {
        words_[i] &= ~o.words_[i];
    }
}

void DocSet::exclusive(const DocSet& o) noexcept {
    for (std::size_t i = 0; i < words_.size() && i < o.words_.size(); ++i) {
        words_[i] ^= o.words_[i];
    }
}

std::uint64_t DocSet::count() const noexcept {
    std::uint64_t n = 0;
    for (const auto w : words_) {
        n += static_cast<std::uint64_t>(std::popcount(w));
    }
    return n;
}

MatchSetEvaluator::MatchSetEvaluator(const Xapian::Database& db, const FacetColumns* columns)
    : db_(db), columns_(columns), last_(db.get_lastdocid()) {}

bool MatchSetEvaluator::supported(const Xapian::Query& query) const {
    switch (query.get_type()) {
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE:
        return columns_ != nullptr && columns_->dates().size() > last_ && date_bounds(query).has_value();
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::LEAF_MATCH_NOTHING:
        return true;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_SCALE_WEIGHT:
        break;
    default:
        // PHRASE/NEAR need positions, VALUE_* values, ELITE_SET weights, WILDCARD the
        // parser's expansion rules, posting sources their own code: the matcher does those.
        return false;
    }
    const std::size_t n = query.get_num_subqueries();
    if (n == 0) {
        return false;
    }
    // AND_MAYBE matches what its first subquery matches; the others only add weight.
    const std::size_t checked = query.get_type() == Xapian::Query::OP_AND_MAYBE ? 1 : n;
    for (std::size_t i = 0; i < checked; ++i) {
        if (!supported(query.get_subquery(i))) {
            return false;
        }
    }
    return true;
}

std::optional<DocSet> MatchSetEvaluator::evaluate(const Xapian::Query& query) {
    if (!supported(query)) {
        return std::nullopt;
    }
    return eval(query);
}

DocSet MatchSetEvaluator::term_set(const std::string& term) {
    DocSet set(last_);
    for (auto it = db_.postlist_begin(term), end = db_.postlist_end(term); it != end; ++it) {
        set.add(*it);
    }
    return set;
}

DocSet MatchSetEvaluator::eval(const Xapian::Query& query) {
    const void* key = query.internal.get();
    if (key != nullptr) {
        if (auto it = memo_.find(key); it != memo_.end()) {
            return it->second.second;
        }
    }
    DocSet out(last_);
    switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM:
        out = term_set(*query.get_terms_begin());
        break;
    case Xapian::Query::LEAF_MATCH_ALL:
        if (db_.get_doccount() == last_) {
            out.fill(); // no deleted documents: every docid up to the last exists
        } else {
            out = term_set(std::string());
        }
        break;
    case Xapian::Query::LEAF_MATCH_NOTHING:
        break;
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE: {
        // supported() checked the bounds and that the column covers every docid.
        const DateBounds b = *date_bounds(query);
        const std::span<const std::uint32_t> dates = columns_->dates();
        for (Xapian::docid d = 1; d <= last_; ++d) {
            if (dates[d] >= b.lo && dates[d] <= b.hi) {
                out.add(d);
            }
        }
        break;
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
        out = eval(query.get_subquery(0));
        for (std::size_t i = 1; i < query.get_num_subqueries(); ++i) {
            out.intersect(eval(query.get_subquery(i)));
        }
        break;
    case Xapian::Query::OP_AND_NOT:
        // The first subquery minus every other one.
        out = eval(query.get_subquery(0));
        for (std::size_t i = 1; i < query.get_num_subqueries(); ++i) {
            out.subtract(eval(query.get_subquery(i)));
        }
        break;
    case Xapian::Query::OP_XOR:
        // n-ary XOR matches documents matched by an odd number of subqueries: the parity.
        for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
            out.exclusive(eval(query.get_subquery(i)));
        }
        break;
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
        out = eval(query.get_subquery(0));
        break;
    default: // OR, SYNONYM, MAX (supported() let nothing else through)
        for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
            out.unite(eval(query.get_subquery(i)));
        }
        break;
    }
    if (key != nullptr) {
        memo_.emplace(key, std::make_pair(query, out));
    }
    return out;
}

} // namespace gazette::searchd
