#pragma once
/// Intra-query parallelism for relevance matches on large generations.
///
/// A match is split into two docid slices (DocidRangeSource as an OP_FILTER). The I/O thread
/// runs the first slice while an idle helper thread, with its own Database handle on the same
/// generation and revision, runs the second; the two tops are merged by weight, then docid
/// (Xapian's own order for ties). Weights use whole-database statistics, so the merged page is
/// the page a single match would give (tested on random queries). `total` is the sum of the
/// slices' estimates and bounds.
///
/// Why only on large generations and idle machines: each slice still pays the match's fixed
/// costs (opening posting lists, reading statistics), so a slice costs 68-72% of the whole match
/// at 10k-100k articles, and handing work to a sleeping thread costs ~50 us. At 100k a two-word
/// query takes ~1.3 ms and the split wins; at 10k (0.15 ms) it would lose. It costs ~1.4x the
/// CPU, so it runs only while fewer matches are in flight than there are cores.

#include <xapian.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace gazette::searchd {

/// The top documents of one slice and the slice's match-count estimates.
struct SliceResult {
    std::vector<std::pair<double, Xapian::docid>> top; ///< weight desc, then docid asc
    Xapian::doccount lower = 0;
    Xapian::doccount estimated = 0;
    Xapian::doccount upper = 0;
};

/// What a slice needs: everything is plain data (Xapian objects are not thread-safe, so the
/// query travels serialised).
struct SliceSpec {
    Xapian::docid first = 1;
    Xapian::docid end = 1;              ///< one past the last docid of the slice
    Xapian::doccount window = 10;       ///< offset + limit
    double time_limit_s = 0;            ///< 0 = none
};

/// Runs `query` on docids [spec.first, spec.end) of `db` with Gazette's ranking. When `mset` is
/// given it receives the slice's MSet (its term statistics are the whole database's).
SliceResult match_slice(const Xapian::Database& db, const Xapian::Query& query, const SliceSpec& spec,
                        Xapian::MSet* mset = nullptr);

/// Merges slice tops: the documents at ranks [offset, offset + limit) of the union, and the
/// summed estimates.
SliceResult merge_slices(const std::vector<SliceResult>& slices, std::size_t offset, std::size_t limit);

/// A slice handed to a helper.
class SliceTask {
public:
    /// Waits for the helper (spinning first: the slices take about as long). nullopt when the
    /// helper could not run it (its generation was at another revision, or Xapian failed):
    /// the caller then runs the slice itself.
    std::optional<SliceResult> wait();

private:
    friend class SliceHelpers;
    std::string path;
    Xapian::rev revision = 0;
    std::string query;
    SliceSpec spec;
    std::optional<SliceResult> result;
    std::atomic<bool> done{false};
    std::mutex mutex;
    std::condition_variable cv;
};

/// Helper threads, each with its own Database handle. Thread-safety: all methods may be
/// called from any thread.
class SliceHelpers {
public:
    /// `threads` helpers; `max_in_flight` = matches in flight above which nothing is split
    /// (the number of cores: beyond it the extra CPU would come out of other requests).
    /// A helper that finished a slice keeps polling for the next one for `spin` before it
    /// sleeps (a sleeping thread takes ~50 us to wake, a third of a small index's match).
    SliceHelpers(std::size_t threads, std::size_t max_in_flight,
                 std::chrono::microseconds spin = std::chrono::microseconds(0));
    ~SliceHelpers();
    SliceHelpers(const SliceHelpers&) = delete;
    SliceHelpers& operator=(const SliceHelpers&) = delete;

    /// Counts a match in flight for as long as it lives.
    class InFlight {
    public:
        explicit InFlight(SliceHelpers* h) : h_(h) {
            if (h_ != nullptr && h_->in_flight_.fetch_add(1, std::memory_order_acq_rel) > 0) {
                h_->note_concurrency();
            }
        }
        ~InFlight() {
            if (h_ != nullptr) {
                h_->in_flight_.fetch_sub(1, std::memory_order_acq_rel);
            }
        }
        InFlight(const InFlight&) = delete;
        InFlight& operator=(const InFlight&) = delete;

    private:
        SliceHelpers* h_;
    };

    /// Starts a slice of the generation at `path` (a local glass database) on an idle helper;
    /// nullptr when none is idle or the machine is busy.
    std::shared_ptr<SliceTask> try_start(const std::string& path, Xapian::rev revision,
                                         const Xapian::Query& query, const SliceSpec& spec);

    /// Slices run by helpers so far (for tests and metrics).
    std::uint64_t slices_run() const noexcept { return slices_run_.load(std::memory_order_relaxed); }

    void stop();

private:
    struct Helper;
    void run(Helper& helper);

    /// Records that two matches overlapped just now: for a while nothing is split, because
    /// under concurrent load a split only moves CPU from one request to another.
    void note_concurrency() noexcept;
    bool recently_concurrent() const noexcept;

    std::size_t max_in_flight_;
    std::chrono::microseconds spin_;
    std::atomic<std::size_t> in_flight_{0};
    std::atomic<std::int64_t> last_concurrent_ns_{0};
    std::atomic<std::uint64_t> slices_run_{0};
    std::vector<std::unique_ptr<Helper>> helpers_;
};

} // namespace gazette::searchd
