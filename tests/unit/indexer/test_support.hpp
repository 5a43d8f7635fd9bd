#pragma once
// Helpers shared by the reader tests: collecting sink output, fixture paths, temp dirs.

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

/// A fresh directory under the system temp dir, removed with its contents on destruction.
class TempDir {
  public:
    TempDir() {
        static std::atomic<int> counter{0};
        const auto base = std::filesystem::temp_directory_path();
        for (int attempt = 0;; ++attempt) {
            path_ = base / ("gazette-readers-test-" + std::to_string(std::random_device{}()) + "-" +
                            std::to_string(counter++));
            if (std::filesystem::create_directory(path_)) {
                break;
            }
            if (attempt > 100) {
                throw std::runtime_error("cannot create a temp dir");
            }
        }
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

    std::filesystem::path write(const std::string& name, std::string_view content) const {
        const auto p = path_ / name;
        std::ofstream out(p, std::ios::binary);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        return p;
    }

  private:
    std::filesystem::path path_;
};

} // namespace gazette::indexer::testing
