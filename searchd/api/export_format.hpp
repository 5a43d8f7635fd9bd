#pragma once
/// Text formats of GET /export: NDJSON, CSV (RFC 4180), RIS and BibTeX.
/// Pure functions, one record at a time, so the stream never holds more than a batch.

#include "searchd/search/export.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gazette::searchd::api {

enum class ExportFormat { ndjson, csv, ris, bibtex };
enum class ExportField { id, title, url, date, source, author, lang, topics, tags, snippet, body, score };

std::optional<ExportFormat> parse_export_format(std::string_view name) noexcept;
std::optional<ExportField> parse_export_field(std::string_view name) noexcept;
const char* export_field_name(ExportField field) noexcept;

/// Content-Type and file extension of a format.
const char* export_content_type(ExportFormat format) noexcept;
const char* export_extension(ExportFormat format) noexcept;

/// The default columns: id,title,url,date,source,author,topics.
std::vector<ExportField> default_export_fields();

/// CSV field with RFC 4180 quoting (quoted when it holds a comma, quote, CR or LF).
std::string csv_escape(std::string_view value);
/// BibTeX value text: braces balanced by escaping, LaTeX specials (\ # $ % & _ ^ ~) escaped.
std::string bibtex_escape(std::string_view value);
/// A BibTeX citation key from an id: letters, digits and - _ : . kept, others become '_'.
std::string bibtex_key(std::string_view id);

/// Text before the first record (CSV header line; empty for the others).
std::string export_header(ExportFormat format, const std::vector<ExportField>& fields);
/// One record. NDJSON/CSV carry exactly `fields`; RIS and BibTeX carry their own tag set
/// (title, authors, date, url, source, topics; abstract = snippet when requested).
std::string export_record(ExportFormat format, const std::vector<ExportField>& fields,
                          const ExportRecord& record);

} // namespace gazette::searchd::api
