#include "indexer/readers/boilerplate.hpp"

#include "common/text.hpp"

#include <fmt/format.h>

namespace gazette::indexer {

namespace {

// U+2026 HORIZONTAL ELLIPSIS, as scraped "Loading..." widgets often use it.
#define GAZETTE_ELLIPSIS "(?:\\.\\.\\.|\xE2\x80\xA6)"

std::vector<BoilerplateRule> make_default_rules() {
    using A = BoilerplateAction;
    return {
        // Reading time widgets: "Read Time:7 Minute, 0 Second", "5 min read".
        {R"(read(ing)? time\s*:.*)", A::drop_line},
        {R"((estimated )?reading time\b.*)", A::drop_line},
        {R"(\d+\s*(min|mins|minutes?)\s+read)", A::drop_line},
        // Post navigation.
        {R"((previous|next|prev)\s+(post|article|story)\b.*)", A::drop_line},
        {R"((older|newer)\s+posts?)", A::drop_line},
        // Rating widgets.
        {R"(rate this( post| article)?\s*:?)", A::drop_line},
        {R"(\(?no ratings yet\)?\.?)", A::drop_line},
        {"loading\\s*" GAZETTE_ELLIPSIS "?", A::drop_line},
        {R"(\d\s*stars?)", A::drop_line},
        {R"(average rating\b.*)", A::drop_line},
        {R"((click to rate this (post|article)!?|submit rating|vote count\s*:.*))", A::drop_line},
        {R"(no votes so far!?.*)", A::drop_line},
        {R"(\d(\.\d+)?\s*(/|out of)\s*5(\s*stars?)?)", A::drop_line},
        // Comment sections: everything from the reply marker on is discussion, not article.
        {R"(leave a (reply|comment|response)\b.*)", A::cut_rest},
        {R"(cancel reply)", A::drop_line},
        {R"(your email address will not be published\.?.*)", A::drop_line},
        {R"(required fields are marked\s*\*?)", A::drop_line},
        {R"((comment|name|email|e-mail|website)\s*\*?)", A::drop_line},
        {R"(save my name,? email,? and website\b.*)", A::drop_line},
        {R"(post comment)", A::drop_line},
        {R"(\d+\s+(comments?|responses?|replies))", A::drop_line},
        {R"(comments?\s*\(\d+\))", A::drop_line},
        // Share and like buttons.
        {R"(share (this|on|via)\b.*)", A::drop_line},
        {R"(share:?)", A::drop_line},
        {R"(click to (share|email|print)\b.*)", A::drop_line},
        {R"(like this:?)", A::drop_line},
        {"like\\s+loading\\s*" GAZETTE_ELLIPSIS "?", A::drop_line},
        {R"(be the first to like this\.?)", A::drop_line},
        {R"((facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|tumblr|pocket)"
         R"(|print|tweet|pin it|copy link))",
         A::drop_line},
        {R"(related( posts| articles| stories)?:?)", A::drop_line},
        {R"((you may also like|also read|read more|see also):?)", A::drop_line},
        // Page furniture.
        {R"(skip to (main )?content)", A::drop_line},
        {R"(advertisement|sponsored)", A::drop_line},
        {R"((subscribe|sign up) (to|for) (our|the) newsletter.*)", A::drop_line},
    };
}

#undef GAZETTE_ELLIPSIS

} // namespace

const std::vector<BoilerplateRule>& default_boilerplate_rules() {
    static const std::vector<BoilerplateRule> rules = make_default_rules();
    return rules;
}

Result<BoilerplateFilter> BoilerplateFilter::compile(const std::vector<BoilerplateRule>& rules) {
    BoilerplateFilter filter;
    filter.rules_.reserve(rules.size());
    for (const auto& rule : rules) {
        try {
            // Anchor both ends: a rule describes a whole line, never a fragment of prose.
            filter.rules_.push_back(
                {std::regex("^(?:" + rule.pattern + ")$",
                            std::regex::ECMAScript | std::regex::icase | std::regex::optimize),
                 rule.action});
        } catch (const std::regex_error& e) {
            return Error(
                ErrorCode::bad_config,
                fmt::format("invalid boilerplate pattern '{}': {}", rule.pattern, e.what()),
                "boilerplate");
        }
    }
    return filter;
}

BoilerplateFilter::Match BoilerplateFilter::match(std::string_view line) const {
    const std::string_view trimmed = text::trim(line);
    if (trimmed.empty() || trimmed.size() > max_line_bytes) {
        return {};
    }
    for (const auto& rule : rules_) {
        if (std::regex_match(trimmed.begin(), trimmed.end(), rule.re)) {
            return {true, rule.action};
        }
    }
    return {};
}

} // namespace gazette::indexer
