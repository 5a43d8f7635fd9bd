#pragma once
// Helpers shared by the reader tests: collecting sink output, fixture paths, temp dirs.

#include "tests/support/temp_dir.hpp"
#include "indexer/readers/reader.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace gazette::indexer::testing {

inline std::filesystem::path input_dir() {
    return GAZETTE_TEST_INPUT_DIR;
}
inline std::filesystem::path shared_dir() {
    return GAZETTE_SHARED_DIR;
}

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Collects every item a reader emits.
struct Collector {
    std::vector<ParsedItem> items;
    ItemSink sink() {
        return [this](ParsedItem&& item) { items.push_back(std::move(item)); };
    }
    std::vector<const ParsedItem*> errors() const {
        std::vector<const ParsedItem*> out;
        for (const auto& i : items) {
            if (!i.article) {
                out.push_back(&i);
            }
        }
        return out;
    }
    std::vector<std::string> good_ids() const {
        std::vector<std::string> out;
        for (const auto& i : items) {
            if (i.article) {
                out.push_back(i.article->id);
            }
        }
        return out;
    }
};

using TempDir = ::gazette::test::TempDir;

} // namespace gazette::indexer::testing
