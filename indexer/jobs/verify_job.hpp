#pragma once
/// `verify`: checks a generation against the archive: schema version, one document per live
/// archive id (as of the generation's archive_seq), no extra or duplicated ids.
/// Read-only; safe to run while the generation is being searched.

#include "common/data_dir.hpp"
#include "common/error.hpp"
#include "indexer/archive.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace gazette::indexer {

struct VerifyReport {
    std::string generation;
    std::size_t documents = 0;        ///< doc count of the generation
    std::size_t archive_ids = 0;      ///< live ids in the archive up to index_seq
    std::string schema_version;       ///< as stored ("" when missing)
    std::uint64_t index_seq = 0;      ///< gazette.archive_seq of the generation
    std::uint64_t archive_seq = 0;    ///< last sequence number in the archive
    std::size_t missing_count = 0;    ///< archive ids without a document
    std::size_t extra_count = 0;      ///< documents whose id the archive does not hold (live)
    std::size_t duplicate_count = 0;  ///< ids held by more than one document
    std::size_t without_id = 0;       ///< documents without a Q term
    std::vector<std::string> missing; ///< the first few, sorted
    std::vector<std::string> extra;   ///< the first few, sorted
    std::vector<std::string> problems; ///< one line per failed check; empty when ok

    bool ok() const noexcept { return problems.empty(); }
};

/// Verifies generation `gen` (the live one when empty). Archive records newer than the
/// generation's archive_seq are not expected in it (they are replayed by the writer).
/// Errors: not_found when the generation (or a live one) does not exist.
/// Throws Xapian::Error when the database cannot be read.
[[nodiscard]] Result<VerifyReport> run_verify(const DataDir& dd, const Archive& archive, const std::string& gen = {},
                                              std::size_t list_limit = 20);

} // namespace gazette::indexer
