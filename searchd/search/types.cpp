#include "searchd/search/types.hpp"

#include <array>
#include <string_view>

namespace gazette::searchd {
namespace {
constexpr std::array<std::string_view, 7> kFacetNames = {"topic", "source", "author", "lang",
                                                         "tag",   "year",   "month"};
} // namespace

const char* facet_field_name(FacetField field) noexcept {
    return kFacetNames[static_cast<std::size_t>(field)].data();
}

std::optional<FacetField> parse_facet_field(std::string_view name) noexcept {
    for (std::size_t i = 0; i < kFacetNames.size(); ++i) {
        if (kFacetNames[i] == name) {
            return static_cast<FacetField>(i);
        }
    }
    return std::nullopt;
}

const std::vector<std::string>* Filters::values_for(FacetField field) const noexcept {
    switch (field) {
    case FacetField::topic:
        return &topic;
    case FacetField::source:
        return &source;
    case FacetField::author:
        return &author;
    case FacetField::lang:
        return &lang;
    case FacetField::tag:
        return &tag;
    case FacetField::year:
    case FacetField::month:
        return nullptr;
    }
    return nullptr;
}

bool Filters::empty() const noexcept {
    return topic.empty() && source.empty() && author.empty() && lang.empty() && tag.empty() &&
           from.empty() && to.empty();
}

} // namespace gazette::searchd
