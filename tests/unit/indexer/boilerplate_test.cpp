#include "indexer/readers/boilerplate.hpp"

#include <gtest/gtest.h>

namespace gazette::indexer {
namespace {

struct LineCase {
    const char* line;
    bool matched;
    BoilerplateAction action;
};

class DefaultRules : public ::testing::TestWithParam<LineCase> {
  protected:
    static const BoilerplateFilter& filter() {
        static const BoilerplateFilter f = *BoilerplateFilter::compile(default_boilerplate_rules());
        return f;
    }
};

TEST_P(DefaultRules, Match) {
    const auto m = filter().match(GetParam().line);
    EXPECT_EQ(m.matched, GetParam().matched) << GetParam().line;
    if (GetParam().matched) {
        EXPECT_EQ(m.action, GetParam().action) << GetParam().line;
    }
}

constexpr auto drop = BoilerplateAction::drop_line;
constexpr auto cut = BoilerplateAction::cut_rest;

INSTANTIATE_TEST_SUITE_P(
    Lines,
    DefaultRules,
    ::testing::Values(
        LineCase{"Read Time:7 Minute, 0 Second", true, drop},
        LineCase{"  read time: 3 min  ", true, drop},
        LineCase{"5 min read", true, drop},
        LineCase{"Previous post The Darkening Shadow of War", true, drop},
        LineCase{"Next post Economic Inequality and Social Justice", true, drop},
        LineCase{"Average Rating", true, drop},
        LineCase{"5 Star", true, drop},
        LineCase{"1 Star", true, drop},
        LineCase{"Rate this:", true, drop},
        LineCase{"(No Ratings Yet)", true, drop},
        LineCase{"Loading...", true, drop},
        LineCase{"Loading\xE2\x80\xA6", true, drop},
        LineCase{"Leave a Reply", true, cut},
        LineCase{"Leave a Comment", true, cut},
        LineCase{"Cancel reply", true, drop},
        LineCase{
            "Your email address will not be published. Required fields are marked *", true, drop},
        LineCase{"Required fields are marked *", true, drop},
        LineCase{"Comment *", true, drop},
        LineCase{"Name *", true, drop},
        LineCase{"Email *", true, drop},
        LineCase{"Website", true, drop},
        LineCase{"Save my name, email, and website in this browser for the next time I comment.",
                 true,
                 drop},
        LineCase{"Post Comment", true, drop},
        LineCase{"Share this:", true, drop},
        LineCase{"Click to share on Twitter (Opens in new window)", true, drop},
        LineCase{"Like this:", true, drop},
        LineCase{"Related", true, drop},
        // Prose that merely mentions the words is kept.
        LineCase{"The next post office opens in May.", false, drop},
        LineCase{"Readers can leave a reply below, the editor said, and many did.", false, drop},
        LineCase{"Related talks continued for weeks.", false, drop},
        LineCase{"", false, drop}));

TEST(BoilerplateFilter, LongLinesAreNeverBoilerplate) {
    const auto f = *BoilerplateFilter::compile({{"x+", BoilerplateAction::drop_line}});
    EXPECT_TRUE(f.match(std::string(BoilerplateFilter::max_line_bytes, 'x')).matched);
    EXPECT_FALSE(f.match(std::string(BoilerplateFilter::max_line_bytes + 1, 'x')).matched);
}

TEST(BoilerplateFilter, InvalidPatternNamesIt) {
    auto f = BoilerplateFilter::compile({{"[a-", BoilerplateAction::drop_line}});
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().code, ErrorCode::bad_config);
    EXPECT_NE(f.error().message.find("[a-"), std::string::npos);
}

TEST(BoilerplateFilter, DefaultRulesAllCompile) {
    auto f = BoilerplateFilter::compile(default_boilerplate_rules());
    ASSERT_TRUE(f);
    EXPECT_EQ(f->size(), default_boilerplate_rules().size());
}

} // namespace
} // namespace gazette::indexer
