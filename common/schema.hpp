#pragma once
/// The index schema: every term prefix, value slot and weight that the indexer writes and
/// searchd reads. Prefixes follow Omega's conventions (xapian-omega/docs/termprefixes.rst):
/// single capitals where Omega defines them, `X...` for our own.
/// Bump kSchemaVersion whenever anything here changes meaning; reindex then rebuilds.

#include <xapian.h>

#include <string_view>

namespace gazette::schema {

inline constexpr int kSchemaVersion = 1;

// ---- Boolean (filter) term prefixes -------------------------------------------------------
inline constexpr std::string_view kIdPrefix = "Q";          ///< unique id: Q<id>
inline constexpr std::string_view kAuthorPrefix = "A";      ///< A<author, lower-cased>
inline constexpr std::string_view kLangPrefix = "L";        ///< L<iso639-1>
inline constexpr std::string_view kTagPrefix = "K";         ///< K<tag, lower-cased>
inline constexpr std::string_view kDatePrefix = "D";        ///< D<YYYYMMDD>
inline constexpr std::string_view kMonthPrefix = "M";       ///< M<YYYYMM>
inline constexpr std::string_view kYearPrefix = "Y";        ///< Y<YYYY>
inline constexpr std::string_view kSourcePrefix = "XSOURCE";///< XSOURCE<source, lower-cased>
inline constexpr std::string_view kTopicPrefix = "XTOPIC";  ///< XTOPIC<topic id> (classified or editor-given)

// ---- Free-text prefixes (probabilistic) ----------------------------------------------------
inline constexpr std::string_view kTitlePrefix = "S";       ///< title and section headings (Omega: S = subject/title)
inline constexpr std::string_view kAuthorTextPrefix = "XA"; ///< author names as free text (author:smith)
inline constexpr std::string_view kSourceTextPrefix = "XS"; ///< source as free text (source:state)

// ---- Value slots ----------------------------------------------------------------------------
enum Slot : Xapian::valueno {
    kSlotDate = 0,     ///< "YYYYMMDD" (string order == date order); empty when undated
    kSlotSource = 1,   ///< source as given (display form)
    kSlotYear = 2,     ///< "YYYY"
    kSlotMonth = 3,    ///< "YYYY-MM"
    kSlotTopics = 4,   ///< multi-valued: topic ids joined by kMultiSep
    kSlotLang = 5,     ///< ISO 639-1
    kSlotAuthors = 6,  ///< multi-valued: author display names joined by kMultiSep
    kSlotTags = 7,     ///< multi-valued: tags joined by kMultiSep
    kSlotTitleKey = 8, ///< reserved: lower-cased title for exact-title lookups
    /// Result-list fields (common/hit_summary.hpp). Added without a version bump: it is
    /// additive, and readers fall back to the document data where it is empty (generations
    /// built before it; a reindex adds it).
    kSlotHit = 9,
};

/// Separator of multi-valued slots. Unit separator: stripped from all input text.
inline constexpr char kMultiSep = '\x1f';

// ---- Weights -----------------------------------------------------------------------------
// Title words' wdf increment is configurable: AnalysisConfig::title_weight (default 5).
inline constexpr Xapian::termcount kHeadingWdfInc = 3;
inline constexpr Xapian::termcount kBodyWdfInc = 1;

/// Name of the metadata key that records the schema version in every generation.
inline constexpr std::string_view kMetaSchemaVersion = "gazette.schema_version";
/// Metadata key holding the generation's creation time (ISO 8601).
inline constexpr std::string_view kMetaCreated = "gazette.created";
/// Metadata key holding the time of the last commit (ISO 8601).
inline constexpr std::string_view kMetaLastUpdate = "gazette.last_update";

} // namespace gazette::schema
