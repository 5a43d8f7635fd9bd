#pragma once
/// The dead-letter folder: one JSON error file per rejected article, named after where it
/// came from, so an operator can see what was wrong and resubmit.
///
/// Thread-safety: write() may be called from any thread.

#include "common/article.hpp"
#include "common/error.hpp"

#include <atomic>
#include <filesystem>
#include <string>

namespace gazette::indexer {

class DeadLetter {
public:
    explicit DeadLetter(std::filesystem::path dir);
    /// Writes DIR/<stamp>-<n>.error.json with file, line, id, code, message and (truncated)
    /// raw input; returns the file's path.
    std::filesystem::path write(const SourceLocation& where, std::string_view id, const Error& error,
                                std::string_view raw = {});
    const std::filesystem::path& dir() const noexcept { return dir_; }

private:
    std::filesystem::path dir_;
    std::atomic<unsigned long> counter_{0};
};

} // namespace gazette::indexer
