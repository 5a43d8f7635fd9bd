#include "common/dates.hpp"
#include "common/text.hpp"

#include <gtest/gtest.h>

using namespace gazette;

TEST(Utf8, ValidAndInvalidSequences) {
    struct Case {
        std::string input;
        bool valid;
    };
    const Case cases[] = {
        {"plain ascii", true},
        {"Пауэр оф Сибирь", true},
        {"日本語", true},
        {"\xF0\x9F\x98\x80", true},   // emoji
        {"\xC3\x28", false},          // bad continuation
        {"\xC0\xAF", false},          // overlong '/'
        {"\xED\xA0\x80", false},      // surrogate
        {"\xF4\x90\x80\x80", false},  // above U+10FFFF
        {"abc\xE2\x82", false},       // truncated
    };
    for (const auto& c : cases) {
        EXPECT_EQ(text::is_valid_utf8(c.input), c.valid) << c.input;
    }
    EXPECT_EQ(text::first_invalid_utf8("ab\xFF"), 2u);
    EXPECT_EQ(text::sanitize_utf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
}

TEST(Text, FoldCaseIsUnicodeAware) {
    EXPECT_EQ(text::fold_case("Power OF Siberia"), "power of siberia");
    EXPECT_EQ(text::fold_case("САНКЦИИ"), "санкции");
    EXPECT_EQ(text::fold_case("ÉTÉ"), "été");
}

TEST(Text, WhitespaceAndControls) {
    EXPECT_EQ(text::collapse_whitespace("  a \n\t b\xC2\xA0 c  "), "a b c");
    EXPECT_EQ(text::trim("\xC2\xA0 x y \n"), "x y");
    EXPECT_EQ(text::strip_control_chars("a\x01" "b\r\nc\x1f" "d\te"), "ab\ncd e");
}

TEST(Text, HtmlEscape) {
    EXPECT_EQ(text::html_escape("<script>\"x\" & 'y'</script>"),
              "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;");
}

TEST(Text, PercentCoding) {
    std::string out;
    ASSERT_TRUE(text::percent_decode("business%2F001", out));
    EXPECT_EQ(out, "business/001");
    ASSERT_TRUE(text::percent_decode("a+b", out, true));
    EXPECT_EQ(out, "a b");
    EXPECT_FALSE(text::percent_decode("bad%2", out));
    EXPECT_FALSE(text::percent_decode("bad%zz", out));
    EXPECT_EQ(text::percent_encode("a/b c"), "a%2Fb%20c");
}

TEST(Text, TruncateNeverSplitsACharacter) {
    const std::string s = "абв"; // 6 bytes
    EXPECT_EQ(text::truncate_utf8(s, 3), "а");
    EXPECT_EQ(text::truncate_utf8(s, 4), "аб");
    EXPECT_EQ(text::utf8_length(s), 3u);
}

TEST(Dates, ParsesIsoFormsAndRejectsGarbage) {
    struct Case {
        std::string input;
        bool round_up;
        std::string expected; // empty = error
    };
    const Case cases[] = {
        {"2024-05-16", false, "2024-05-16"},
        {"2024-05-16T23:30:00Z", false, "2024-05-16"},
        {"2024-05-16T23:30:00-02:00", false, "2024-05-17"},
        {"2024-05-16T00:30:00+02:00", false, "2024-05-15"},
        {"2024", false, "2024-01-01"},
        {"2024", true, "2024-12-31"},
        {"2024-02", true, "2024-02-29"},
        {"Thu, 16 May 2024 10:00:00 GMT", false, "2024-05-16"},
        {"May 16, 2024", false, "2024-05-16"},
        {"2024-02-30", false, ""},
        {"2024-13-01", false, ""},
        {"yesterday", false, ""},
        {"", false, ""},
    };
    for (const auto& c : cases) {
        auto d = dates::parse(c.input, c.round_up);
        if (c.expected.empty()) {
            EXPECT_FALSE(d) << c.input;
        } else {
            ASSERT_TRUE(d) << c.input << ": " << d.error().message;
            EXPECT_EQ(d->iso(), c.expected) << c.input;
        }
    }
}

TEST(Dates, DayArithmeticRoundTrips) {
    for (long day = -1000; day < 30000; day += 37) {
        EXPECT_EQ(dates::Date::from_days(day).days_since_epoch(), day);
    }
    EXPECT_EQ(dates::week_start(dates::Date{2024, 5, 16}).iso(), "2024-05-13"); // a Thursday -> Monday
}
