#include "searchd/search/query_builder.hpp"

#include "common/text.hpp"

#include "common/analyzer.hpp"
#include "common/dates.hpp"
#include "common/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace gazette::searchd {
namespace {

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_continuation(char c) noexcept {
    return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

/// Code-point offset of byte `pos` in `s`.
long char_pos(std::string_view s, std::size_t pos) {
    long n = 0;
    for (std::size_t i = 0; i < pos && i < s.size(); ++i) {
        if (!is_continuation(s[i])) {
            ++n;
        }
    }
    return n;
}

std::string_view prefix_for(FacetField field) noexcept {
    switch (field) {
    case FacetField::topic:
        return schema::kTopicPrefix;
    case FacetField::source:
        return schema::kSourcePrefix;
    case FacetField::author:
        return schema::kAuthorPrefix;
    case FacetField::lang:
        return schema::kLangPrefix;
    case FacetField::tag:
        return schema::kTagPrefix;
    case FacetField::year:
        return schema::kYearPrefix;
    case FacetField::month:
        return schema::kMonthPrefix;
    }
    return {};
}

void shape_of(const Xapian::Query& q, std::size_t depth, QueryShape& shape) {
    shape.depth = std::max(shape.depth, depth);
    const std::size_t n = q.get_num_subqueries();
    if (n == 0) {
        if (q.get_type() != Xapian::Query::LEAF_MATCH_ALL &&
            q.get_type() != Xapian::Query::LEAF_MATCH_NOTHING) {
            ++shape.terms;
        }
        return;
    }
    for (std::size_t i = 0; i < n; ++i) {
        shape_of(q.get_subquery(i), depth + 1, shape);
    }
}

/// Checks one `date:A..B` token starting at byte `at` (just after "date:").
Result<void> check_date_range(std::string_view q, std::size_t at) {
    std::size_t end = at;
    while (end < q.size() && !is_space(q[end]) && q[end] != ')') {
        ++end;
    }
    const std::string_view value = q.substr(at, end - at);
    const std::size_t dots = value.find("..");
    if (dots == std::string_view::npos) {
        return Error(ErrorCode::bad_query,
                     "date: needs a range like date:2019-01-01..2020-06-30", "q",
                     char_pos(q, at));
    }
    const std::string_view a = value.substr(0, dots);
    const std::string_view b = value.substr(dots + 2);
    if (a.empty() && b.empty()) {
        return Error(ErrorCode::bad_query, "date range needs at least one bound", "q",
                     char_pos(q, at));
    }
    if (!a.empty() && !dates::parse(a)) {
        return Error(ErrorCode::bad_query, fmt::format("bad date '{}' in date range", a), "q",
                     char_pos(q, at));
    }
    if (!b.empty() && !dates::parse(b, true)) {
        return Error(ErrorCode::bad_query, fmt::format("bad date '{}' in date range", b), "q",
                     char_pos(q, at + dots + 2));
    }
    // Like from/to: a range that ends before it starts is a mistake, not an empty result.
    if (!a.empty() && !b.empty() && *dates::parse(b, true) < *dates::parse(a)) {
        return Error(ErrorCode::bad_query, fmt::format("date range ends ({}) before it starts ({})", b, a), "q",
                     char_pos(q, at));
    }
    return {};
}

std::string compact_date(std::string_view iso) {
    std::string out;
    for (const char c : iso) {
        if (c != '-') {
            out.push_back(c);
        }
    }
    return out;
}

Xapian::Query and_all(const std::vector<Xapian::Query>& parts) {
    if (parts.size() == 1) {
        return parts.front();
    }
    return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

} // namespace

void configure_query_parser(Xapian::QueryParser& qp, const LimitsConfig& limits) {
    qp.set_max_expansion(static_cast<Xapian::termcount>(limits.max_wildcard_expansion),
                         Xapian::Query::WILDCARD_LIMIT_ERROR);
}

Result<void> check_query_text(std::string_view q, const LimitsConfig& limits) {
    std::size_t chars = 0;
    for (const char c : q) {
        if (!is_continuation(c)) {
            ++chars;
        }
    }
    if (chars > limits.max_query_chars) {
        return Error(ErrorCode::bad_request,
                     fmt::format("q is {} characters long; the limit is {}", chars,
                                 limits.max_query_chars),
                     "q");
    }
    std::vector<std::size_t> open;
    std::size_t quote_at = std::string_view::npos;
    for (std::size_t i = 0; i < q.size(); ++i) {
        const char c = q[i];
        if (c == '"') {
            quote_at = quote_at == std::string_view::npos ? i : std::string_view::npos;
            continue;
        }
        if (quote_at != std::string_view::npos) {
            continue;
        }
        if (c == '(') {
            open.push_back(i);
            if (open.size() > limits.max_query_depth) {
                return Error(ErrorCode::too_complex,
                             fmt::format("query nests deeper than {} levels", limits.max_query_depth),
                             "q", char_pos(q, i));
            }
        } else if (c == ')') {
            if (open.empty()) {
                return Error(ErrorCode::bad_query, "unmatched ')'", "q", char_pos(q, i));
            }
            open.pop_back();
        } else if (c == 'd' && q.compare(i, 5, "date:") == 0 &&
                   (i == 0 || is_space(q[i - 1]) || q[i - 1] == '(' || q[i - 1] == '+' ||
                    q[i - 1] == '-')) {
            auto ok = check_date_range(q, i + 5);
            if (!ok) {
                return ok;
            }
        }
    }
    if (quote_at != std::string_view::npos) {
        return Error(ErrorCode::bad_query, "unterminated '\"'", "q", char_pos(q, quote_at));
    }
    if (!open.empty()) {
        return Error(ErrorCode::bad_query, "unmatched '('", "q", char_pos(q, open.back()));
    }
    return {};
}

std::string fold_query_case(std::string_view q) {
    // Xapian's operators are the upper-case words; a NEAR/ADJ may carry a distance (NEAR/3).
    static constexpr std::string_view kOperators[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
    auto is_operator = [](std::string_view word) {
        const std::string_view name = word.substr(0, word.find('/'));
        if (name.size() < word.size()) {
            const std::string_view distance = word.substr(name.size() + 1);
            if (distance.empty() || !std::all_of(distance.begin(), distance.end(),
                                                 [](char c) { return c >= '0' && c <= '9'; })) {
                return false;
            }
            if (name != "NEAR" && name != "ADJ") {
                return false;
            }
        }
        return std::find(std::begin(kOperators), std::end(kOperators), name) != std::end(kOperators);
    };
    std::string out;
    out.reserve(q.size());
    std::size_t i = 0;
    while (i < q.size()) {
        std::size_t end = i;
        while (end < q.size() && !is_space(q[end]) && q[end] != '(' && q[end] != ')') {
            ++end;
        }
        if (end == i) {
            out += q[i++];
            continue;
        }
        const std::string_view word = q.substr(i, end - i);
        if (is_operator(word)) {
            out += word;
        } else {
            out += text::fold_case(word);
        }
        i = end;
    }
    return out;
}

std::optional<std::string> pure_negation_as_not(std::string_view q) {
    // Top-level clauses: split on spaces outside quotes and parentheses.
    std::vector<std::string_view> clauses;
    int depth = 0;
    bool quoted = false;
    std::size_t start = std::string_view::npos;
    for (std::size_t i = 0; i <= q.size(); ++i) {
        const bool end = i == q.size();
        const char c = end ? ' ' : q[i];
        if (!end && c == '"') {
            quoted = !quoted;
        } else if (!end && !quoted && c == '(') {
            ++depth;
        } else if (!end && !quoted && c == ')') {
            --depth;
        }
        const bool split = end || (!quoted && depth == 0 && is_space(c));
        if (split) {
            if (start != std::string_view::npos) {
                clauses.push_back(q.substr(start, i - start));
                start = std::string_view::npos;
            }
        } else if (start == std::string_view::npos) {
            start = i;
        }
    }
    if (clauses.empty()) {
        return std::nullopt;
    }
    std::string out;
    for (const auto clause : clauses) {
        if (clause.size() < 2 || clause.front() != '-' || clause[1] == '-' || is_space(clause[1])) {
            return std::nullopt;
        }
        out += out.empty() ? "NOT " : " NOT ";
        out += clause.substr(1);
    }
    return out;
}

QueryShape query_shape(const Xapian::Query& query) {
    QueryShape shape;
    shape_of(query, 1, shape);
    return shape;
}

Xapian::Query restrict_to_filters(const QueryPlan& plan, const Xapian::Query& text) {
    return plan.filter ? Xapian::Query(Xapian::Query::OP_FILTER, text, *plan.filter) : text;
}

std::optional<Xapian::Query> field_filter(FacetField field, const std::vector<std::string>& values) {
    if (values.empty()) {
        return std::nullopt;
    }
    std::vector<Xapian::Query> terms;
    terms.reserve(values.size());
    const std::string_view prefix = prefix_for(field);
    for (const auto& v : values) {
        std::string term(prefix);
        term += Analyzer::filter_value(v);
        terms.emplace_back(term);
    }
    if (terms.size() == 1) {
        return terms.front();
    }
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

std::optional<Xapian::Query> date_filter(const std::string& from, const std::string& to) {
    if (from.empty() && to.empty()) {
        return std::nullopt;
    }
    if (to.empty()) {
        return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotDate, compact_date(from));
    }
    if (from.empty()) {
        return Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kSlotDate, compact_date(to));
    }
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotDate, compact_date(from),
                         compact_date(to));
}

Result<QueryPlan> build_query_plan(Xapian::QueryParser& qp, const SearchRequest& request,
                                   unsigned flags, const LimitsConfig& limits) {
    if (auto ok = check_query_text(request.q, limits); !ok) {
        return ok.error();
    }
    QueryPlan plan;
    const bool blank = std::all_of(request.q.begin(), request.q.end(), is_space);
    if (blank) {
        plan.text = Xapian::Query::MatchAll;
    } else {
        qp.set_default_op(request.op == DefaultOp::op_and ? Xapian::Query::OP_AND
                                                          : Xapian::Query::OP_OR);
        try {
            const std::string folded = fold_query_case(request.q);
            const std::optional<std::string> negation = pure_negation_as_not(folded);
            plan.text = qp.parse_query(negation ? *negation : folded, flags);
        } catch (const Xapian::QueryParserError& e) {
            long pos = -1;
            if (const auto dots = request.q.find(".."); dots != std::string::npos) {
                pos = char_pos(request.q, dots);
            }
            return Error(ErrorCode::bad_query, e.get_msg(), "q", pos);
        }
        if ((flags & Xapian::QueryParser::FLAG_SPELLING_CORRECTION) != 0) {
            std::string corrected = qp.get_corrected_query_string();
            if (!corrected.empty() && corrected != request.q) {
                plan.corrected = std::move(corrected);
            }
        }
        const QueryShape shape = query_shape(plan.text);
        if (shape.terms > limits.max_query_terms) {
            return Error(ErrorCode::too_complex,
                         fmt::format("query has {} terms; the limit is {}", shape.terms,
                                     limits.max_query_terms),
                         "q");
        }
        if (shape.depth > limits.max_query_depth) {
            return Error(ErrorCode::too_complex,
                         fmt::format("query nests {} levels; the limit is {}", shape.depth,
                                     limits.max_query_depth),
                         "q");
        }
    }

    // Each active filter, remembering which facet field it belongs to.
    std::vector<std::pair<std::optional<FacetField>, Xapian::Query>> filters;
    for (const FacetField f : {FacetField::topic, FacetField::source, FacetField::author,
                               FacetField::lang, FacetField::tag}) {
        if (auto fq = field_filter(f, *request.filters.values_for(f))) {
            filters.emplace_back(f, std::move(*fq));
        }
    }
    if (auto dq = date_filter(request.filters.from, request.filters.to)) {
        filters.emplace_back(std::nullopt, std::move(*dq));
    }

    auto restrict = [&](std::optional<FacetField> except) {
        std::vector<Xapian::Query> parts;
        for (const auto& [field, fq] : filters) {
            if (!except || field != except) {
                parts.push_back(fq);
            }
        }
        if (parts.empty()) {
            return plan.text;
        }
        return Xapian::Query(Xapian::Query::OP_FILTER, plan.text, and_all(parts));
    };
    if (!filters.empty()) {
        std::vector<Xapian::Query> parts;
        for (const auto& f : filters) {
            parts.push_back(f.second);
        }
        plan.filter = and_all(parts);
    }
    plan.filtered = restrict_to_filters(plan, plan.text);
    for (const auto& [field, fq] : filters) {
        if (field && std::find(request.facets.begin(), request.facets.end(), *field) !=
                         request.facets.end()) {
            plan.disjunctive.emplace_back(*field, restrict(field));
        }
    }
    return plan;
}

} // namespace gazette::searchd
