#pragma once
/// Turning request bodies and inbox files into archive records, on the caller's thread (an
/// I/O thread or the inbox thread), so the writer thread only appends and indexes.

#include "common/error.hpp"
#include "indexer/archive.hpp"
#include "indexer/readers/reader.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace gazette::indexer::serve {

/// One rejected input record: where (1-based line or array element), its id if readable, why.
struct Rejection {
    long line = 0;
    std::string id;
    Error error;
    SourceLocation where;
};

/// Valid records in input order, and the rejected ones.
struct Intake {
    std::vector<ArchiveRecord> records;
    std::vector<Rejection> rejected;
};

/// Readers are not thread-safe and compile regexes on construction, so handlers borrow one.
/// Thread-safety: acquire()/release() may be called from any thread.
class ReaderPool {
public:
    /// @exception ErrorException (bad_config) when a boilerplate pattern is invalid.
    explicit ReaderPool(ReaderOptions options);

    /// Runs `fn(Reader&)` with a reader no other thread uses meanwhile.
    template <class F>
    decltype(auto) with_reader(F&& fn) {
        auto reader = acquire();
        struct Return {
            ReaderPool& pool;
            std::unique_ptr<Reader>& r;
            ~Return() { pool.release(std::move(r)); }
        } give_back{*this, reader};
        return fn(*reader);
    }

private:
    std::unique_ptr<Reader> acquire();
    void release(std::unique_ptr<Reader> reader);

    ReaderOptions options_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Reader>> idle_;
};

/// Parses a whole buffer; every record becomes an upsert or a Rejection.
Intake parse_articles(Reader& reader, std::string_view body, InputFormat format, std::string_view origin);

/// The POST /articles response body:
/// {"accepted": N, "rejected": [{"line": L, "id": "...", "error": {"code": "...", "message": "..."}}]}
std::string intake_response_json(std::size_t accepted, const std::vector<Rejection>& rejected);

} // namespace gazette::indexer::serve
