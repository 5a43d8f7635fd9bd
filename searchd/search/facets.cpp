#include "searchd/search/facets.hpp"

#include "common/schema.hpp"

#include <algorithm>

namespace gazette::searchd {

Xapian::valueno facet_slot(FacetField field) noexcept {
    switch (field) {
    case FacetField::topic:
        return schema::kSlotTopics;
    case FacetField::source:
        return schema::kSlotSource;
    case FacetField::author:
        return schema::kSlotAuthors;
    case FacetField::lang:
        return schema::kSlotLang;
    case FacetField::tag:
        return schema::kSlotTags;
    case FacetField::year:
        return schema::kSlotYear;
    case FacetField::month:
        return schema::kSlotMonth;
    }
    return Xapian::BAD_VALUENO;
}

bool facet_multi_valued(FacetField field) noexcept {
    return field == FacetField::topic || field == FacetField::author || field == FacetField::tag;
}

FacetSpy::FacetSpy(std::vector<FacetField> fields) : fields_(std::move(fields)) {}

void FacetSpy::use_columns(std::shared_ptr<const FacetColumns> columns) {
    columns_ = std::move(columns);
    for (const FacetField f : fields_) {
        code_counts_[static_cast<std::size_t>(f)].assign(columns_ ? columns_->value_count(f) : 0, 0);
    }
}

void FacetSpy::operator()(const Xapian::Document& doc, double /*wt*/) {
    ++seen_;
    if (columns_) {
        const Xapian::docid did = doc.get_docid();
        for (const FacetField f : fields_) {
            auto& counts = code_counts_[static_cast<std::size_t>(f)];
            for (const std::uint32_t code : columns_->codes(f, did)) {
                ++counts[code];
            }
        }
        return;
    }
    for (const FacetField f : fields_) {
        const std::string value = doc.get_value(facet_slot(f));
        if (value.empty()) {
            continue;
        }
        auto& counts = counts_[static_cast<std::size_t>(f)];
        if (!facet_multi_valued(f)) {
            ++counts[value];
            continue;
        }
        std::size_t start = 0;
        while (start <= value.size()) {
            std::size_t sep = value.find(schema::kMultiSep, start);
            if (sep == std::string::npos) {
                sep = value.size();
            }
            if (sep > start) {
                ++counts[value.substr(start, sep - start)];
            }
            start = sep + 1;
        }
    }
}

std::optional<std::uint64_t> FacetSpy::count_matches(MatchSetEvaluator& evaluator, const Xapian::Query& query) {
    if (!columns_) {
        return std::nullopt;
    }
    const auto set = evaluator.evaluate(query);
    if (!set) {
        return std::nullopt;
    }
    // One field at a time: the loop touches one column's arrays and one counts array.
    for (const FacetField f : fields_) {
        columns_->count(f, *set, code_counts_[static_cast<std::size_t>(f)]);
    }
    const std::uint64_t n = set->count();
    seen_ += n;
    return n;
}

std::vector<FacetCount> FacetSpy::top(FacetField field, std::size_t size) const {
    const auto& counts = counts_[static_cast<std::size_t>(field)];
    std::vector<FacetCount> out;
    if (columns_) {
        const auto& by_code = code_counts_[static_cast<std::size_t>(field)];
        for (std::size_t code = 0; code < by_code.size(); ++code) {
            if (by_code[code] > 0) {
                out.push_back(FacetCount{columns_->value(field, static_cast<std::uint32_t>(code)), by_code[code]});
            }
        }
    }
    out.reserve(out.size() + counts.size());
    for (const auto& [value, count] : counts) {
        out.push_back(FacetCount{value, count});
    }
    auto better = [](const FacetCount& a, const FacetCount& b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
    };
    if (out.size() > size) {
        std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(size), out.end(),
                          better);
        out.resize(size);
    } else {
        std::sort(out.begin(), out.end(), better);
    }
    return out;
}

} // namespace gazette::searchd
