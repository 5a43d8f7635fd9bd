#pragma once
// RAII temporary directory for every test folder: a fresh folder under $TMPDIR, removed at
// scope end. Include as "tests/support/temp_dir.hpp".

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <stdexcept>
#include <string>

namespace gazette::test {

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "gazette-test-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

    /// Writes `content` to a file `name` inside the directory; returns its path.
    std::filesystem::path write(const std::string& name, std::string_view content) const {
        const auto p = path_ / name;
        std::ofstream out(p, std::ios::binary);
        out << content;
        if (!out) {
            throw std::runtime_error("cannot write " + p.string());
        }
        return p;
    }

private:
    std::filesystem::path path_;
};

} // namespace gazette::test
