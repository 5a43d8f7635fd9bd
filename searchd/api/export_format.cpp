#include "searchd/api/export_format.hpp"

#include "searchd/api/json_number.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace gazette::searchd::api {
namespace {

constexpr std::pair<ExportField, const char*> kFieldNames[] = {
    {ExportField::id, "id"},         {ExportField::title, "title"},   {ExportField::url, "url"},
    {ExportField::date, "date"},     {ExportField::source, "source"}, {ExportField::author, "author"},
    {ExportField::lang, "lang"},     {ExportField::topics, "topics"}, {ExportField::tags, "tags"},
    {ExportField::snippet, "snippet"}, {ExportField::body, "body"},   {ExportField::score, "score"}};

std::string join(const std::vector<std::string>& v, std::string_view sep) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty()) {
            out += sep;
        }
        out += s;
    }
    return out;
}

std::string text_of(ExportField f, const ExportRecord& r) {
    switch (f) {
    case ExportField::id:
        return r.hit.id;
    case ExportField::title:
        return r.hit.title;
    case ExportField::url:
        return r.hit.url;
    case ExportField::date:
        return r.hit.date;
    case ExportField::source:
        return r.hit.source;
    case ExportField::author:
        return join(r.hit.authors, "; ");
    case ExportField::lang:
        return r.hit.lang;
    case ExportField::topics:
        return join(r.hit.topics, "; ");
    case ExportField::tags:
        return join(r.tags, "; ");
    case ExportField::snippet:
        return r.hit.snippet;
    case ExportField::body:
        return r.body;
    case ExportField::score:
        return format_decimal3(r.hit.score);
    }
    return {};
}

bool has(const std::vector<ExportField>& fields, ExportField f) {
    return std::find(fields.begin(), fields.end(), f) != fields.end();
}

/// RIS values are single lines.
std::string one_line(std::string_view s) {
    std::string out(s);
    std::replace(out.begin(), out.end(), '\n', ' ');
    std::replace(out.begin(), out.end(), '\r', ' ');
    return out;
}

void ris_tag(std::string& out, std::string_view tag, std::string_view value) {
    if (value.empty()) {
        return;
    }
    out += tag;
    out += "  - ";
    out += one_line(value);
    out += "\r\n";
}

} // namespace

std::optional<ExportFormat> parse_export_format(std::string_view name) noexcept {
    if (name == "ndjson" || name.empty()) {
        return ExportFormat::ndjson;
    }
    if (name == "csv") {
        return ExportFormat::csv;
    }
    if (name == "ris") {
        return ExportFormat::ris;
    }
    if (name == "bibtex" || name == "bib") {
        return ExportFormat::bibtex;
    }
    return std::nullopt;
}

std::optional<ExportField> parse_export_field(std::string_view name) noexcept {
    for (const auto& [f, n] : kFieldNames) {
        if (name == n) {
            return f;
        }
    }
    if (name == "authors") {
        return ExportField::author;
    }
    return std::nullopt;
}

const char* export_field_name(ExportField field) noexcept {
    for (const auto& [f, n] : kFieldNames) {
        if (f == field) {
            return n;
        }
    }
    return "";
}

const char* export_content_type(ExportFormat format) noexcept {
    switch (format) {
    case ExportFormat::ndjson:
        return "application/x-ndjson; charset=utf-8";
    case ExportFormat::csv:
        return "text/csv; charset=utf-8; header=present";
    case ExportFormat::ris:
        return "application/x-research-info-systems; charset=utf-8";
    case ExportFormat::bibtex:
        return "application/x-bibtex; charset=utf-8";
    }
    return "text/plain";
}

const char* export_extension(ExportFormat format) noexcept {
    switch (format) {
    case ExportFormat::ndjson:
        return "ndjson";
    case ExportFormat::csv:
        return "csv";
    case ExportFormat::ris:
        return "ris";
    case ExportFormat::bibtex:
        return "bib";
    }
    return "txt";
}

std::vector<ExportField> default_export_fields() {
    return {ExportField::id,     ExportField::title,  ExportField::url,   ExportField::date,
            ExportField::source, ExportField::author, ExportField::topics};
}

std::string csv_escape(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
        return std::string(value);
    }
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
    return out;
}

std::string bibtex_escape(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        switch (c) {
        case '\\':
            out += "\\textbackslash{}";
            break;
        case '{':
        case '}':
        case '#':
        case '$':
        case '%':
        case '&':
        case '_':
            out += '\\';
            out += c;
            break;
        case '^':
            out += "\\^{}";
            break;
        case '~':
            out += "\\~{}";
            break;
        case '\n':
        case '\r':
            out += ' ';
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string bibtex_key(std::string_view id) {
    std::string out;
    for (const char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '-' || c == '_' || c == ':' || c == '.';
        out += ok ? c : '_';
    }
    return out.empty() ? std::string("article") : out;
}

std::string export_header(ExportFormat format, const std::vector<ExportField>& fields) {
    if (format != ExportFormat::csv) {
        return {};
    }
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        out += i == 0 ? "" : ",";
        out += export_field_name(fields[i]);
    }
    out += "\r\n";
    return out;
}

std::string export_record(ExportFormat format, const std::vector<ExportField>& fields,
                          const ExportRecord& r) {
    std::string out;
    switch (format) {
    case ExportFormat::ndjson: {
        boost::json::object o;
        for (const ExportField f : fields) {
            switch (f) {
            case ExportField::author:
            case ExportField::topics:
            case ExportField::tags: {
                boost::json::array a;
                const auto& list = f == ExportField::author ? r.hit.authors
                                   : f == ExportField::topics ? r.hit.topics
                                                              : r.tags;
                for (const auto& s : list) {
                    a.emplace_back(s);
                }
                o[export_field_name(f)] = std::move(a);
                break;
            }
            case ExportField::score:
                o["score"] = r.hit.score;
                break;
            default:
                o[export_field_name(f)] = text_of(f, r);
            }
        }
        out = serialize_plain(o);
        out += '\n';
        return out;
    }
    case ExportFormat::csv:
        for (std::size_t i = 0; i < fields.size(); ++i) {
            out += i == 0 ? "" : ",";
            out += csv_escape(text_of(fields[i], r));
        }
        out += "\r\n";
        return out;
    case ExportFormat::ris:
        ris_tag(out, "TY", "NEWS");
        ris_tag(out, "TI", r.hit.title);
        for (const auto& a : r.hit.authors) {
            ris_tag(out, "AU", a);
        }
        if (r.hit.date.size() >= 4) {
            ris_tag(out, "PY", r.hit.date.substr(0, 4));
            std::string da = r.hit.date;
            std::replace(da.begin(), da.end(), '-', '/');
            ris_tag(out, "DA", da);
        }
        ris_tag(out, "UR", r.hit.url);
        ris_tag(out, "T2", r.hit.source);
        for (const auto& t : r.hit.topics) {
            ris_tag(out, "KW", t);
        }
        if (has(fields, ExportField::snippet)) {
            ris_tag(out, "AB", r.hit.snippet);
        }
        ris_tag(out, "ID", r.hit.id);
        out += "ER  - \r\n\r\n";
        return out;
    case ExportFormat::bibtex: {
        out += "@misc{" + bibtex_key(r.hit.id) + ",\n";
        auto field = [&](std::string_view name, const std::string& value) {
            if (!value.empty()) {
                out += "  ";
                out += name;
                out += " = {";
                out += bibtex_escape(value);
                out += "},\n";
            }
        };
        field("title", r.hit.title);
        field("author", join(r.hit.authors, " and "));
        if (r.hit.date.size() >= 4) {
            field("year", r.hit.date.substr(0, 4));
        }
        if (r.hit.date.size() >= 7) {
            field("month", r.hit.date.substr(5, 2));
        }
        field("date", r.hit.date);
        field("howpublished", r.hit.source);
        field("url", r.hit.url);
        field("keywords", join(r.hit.topics, ", "));
        if (has(fields, ExportField::snippet)) {
            field("abstract", r.hit.snippet);
        }
        out += "}\n\n";
        return out;
    }
    }
    return out;
}

} // namespace gazette::searchd::api
