#pragma once
/// Site boilerplate in scraped plain text ("Read Time: ...", "Previous post", rating widgets,
/// share buttons, comment forms), recognised by configurable line patterns.

#include "common/error.hpp"

#include <cstddef>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace gazette::indexer {

/// What a matching line does to the text.
enum class BoilerplateAction {
    drop_line, ///< the line alone is removed
    cut_rest,  ///< the line and everything after it are removed ("Leave a Reply")
};

/// One rule: an ECMAScript regex matched case-insensitively against a whole trimmed line.
struct BoilerplateRule {
    std::string pattern;
    BoilerplateAction action = BoilerplateAction::drop_line;
};

/// The built-in rules: reading-time lines, previous/next post links, rating widgets, share and
/// like buttons, "Related", comment forms, and a cut at "Leave a Reply" / "Leave a Comment".
const std::vector<BoilerplateRule>& default_boilerplate_rules();

/// Compiled rules. Immutable once built, so one filter may be shared by threads.
class BoilerplateFilter {
  public:
    /// Lines longer than this are never boilerplate: widgets are short, and it bounds the
    /// backtracking std::regex may do on long paragraphs.
    static constexpr std::size_t max_line_bytes = 400;

    /// An empty filter (matches nothing).
    BoilerplateFilter() = default;

    /// Compiles `rules`. Returns bad_config naming the first invalid pattern.
    [[nodiscard]] static Result<BoilerplateFilter>
    compile(const std::vector<BoilerplateRule>& rules);

    /// The action for `line` (trimmed by the caller or not), or nullopt-like `matched == false`.
    struct Match {
        bool matched = false;
        BoilerplateAction action = BoilerplateAction::drop_line;
    };
    Match match(std::string_view line) const;

    /// Number of compiled rules.
    std::size_t size() const noexcept { return rules_.size(); }

  private:
    struct Compiled {
        std::regex re;
        BoilerplateAction action;
    };
    std::vector<Compiled> rules_;
};

} // namespace gazette::indexer
