#include "indexer/readers/loose_date.hpp"

#include <gtest/gtest.h>

namespace gazette::indexer {
namespace {

struct DateCase {
    const char* text;
    const char* iso; // nullptr: not a date
};

class LooseDate : public ::testing::TestWithParam<DateCase> {};

TEST_P(LooseDate, Parses) {
    const auto got = parse_loose_date(GetParam().text);
    if (GetParam().iso == nullptr) {
        EXPECT_FALSE(got.has_value()) << GetParam().text << " -> " << got.value_or("");
    } else {
        ASSERT_TRUE(got.has_value()) << GetParam().text;
        EXPECT_EQ(*got, GetParam().iso);
    }
}

INSTANTIATE_TEST_SUITE_P(Texts,
                         LooseDate,
                         ::testing::Values(DateCase{"May 16, 2024", "2024-05-16"},
                                           DateCase{"16 May 2024", "2024-05-16"},
                                           DateCase{"Thursday, May 16, 2024", "2024-05-16"},
                                           DateCase{"Sept. 3, 2023", "2023-09-03"},
                                           DateCase{"3rd of March 2023", "2023-03-03"},
                                           DateCase{"Mar 3 2023 at 10:30 am", "2023-03-03"},
                                           DateCase{"2024-05-16", "2024-05-16"},
                                           DateCase{"2024-05-16T23:30:00Z", "2024-05-16"},
                                           DateCase{"Thu, 16 May 2024 10:00:00 GMT", "2024-05-16"},
                                           DateCase{"February 30, 2024", nullptr},
                                           DateCase{"2024", nullptr},
                                           DateCase{"May 2024", nullptr},
                                           DateCase{"May the force be", nullptr},
                                           DateCase{"In May 16, 2024 we met", nullptr},
                                           DateCase{"", nullptr}));

} // namespace
} // namespace gazette::indexer
