// gazette_bench_relevance: indexes each judged collection of ../shared/data with the real
// gazette-indexer, serves it with the real gazette-searchd, runs every query over HTTP
// (limit 100, snippet 0, op=or, syntax stripped to plain words) and prints nDCG@10, MAP
// (over the top 100) and Recall@100 next to the published BM25 nDCG@10.

#include "bench/relevance/metrics.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace fs = std::filesystem;
using gazette::bench::Judgements;

namespace {

/// Published (or the data README's reference) BM25 nDCG@10 per collection.
const std::map<std::string, double> kReferenceNdcg = {
    {"cacm", 0.408}, {"cisi", 0.286},     {"cranfield", 0.343}, {"medline", 0.678},
    {"npl", 0.434},  {"lisa", 0.363},     {"adi", 0.436},       {"beir-scifact", 0.665}};

std::string url_encode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

/// One blocking GET with Connection: close; returns (status, body).
std::pair<int, std::string> http_get(unsigned short port, const std::string& target) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        throw std::runtime_error("socket");
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        throw std::runtime_error("connect");
    }
    const std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    std::size_t sent = 0;
    while (sent < req.size()) {
        const ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, 0);
        if (n <= 0) {
            ::close(fd);
            throw std::runtime_error("send");
        }
        sent += static_cast<std::size_t>(n);
    }
    std::string raw;
    char buf[65536];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) {
        raw.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    const auto head_end = raw.find("\r\n\r\n");
    if (head_end == std::string::npos || raw.size() < 12) {
        throw std::runtime_error("bad response");
    }
    return {std::stoi(raw.substr(9, 3)), raw.substr(head_end + 4)};
}

int run(const std::vector<std::string>& argv, const fs::path& log) {
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::FILE* f = std::freopen(log.c_str(), "w", stdout);
        (void)f;
        ::dup2(::fileno(stdout), 2);
        std::vector<char*> args;
        for (const auto& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/// The query as plain words: the query language's operator characters become spaces and
/// everything is lower-cased (so AND/OR/NOT/NEAR in the text are ordinary words).
std::string plain_words(std::string_view q) {
    std::string out;
    for (const char ch : q) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80 || std::isalnum(c) != 0) {
            out += static_cast<char>(std::tolower(c));
        } else {
            out += ' ';
        }
    }
    return out.substr(0, 1500);
}

struct Scores {
    double ndcg10 = 0;
    double map = 0;
    double recall100 = 0;
    std::size_t queries = 0;
};

Scores evaluate(const std::string& name, const fs::path& work, const std::string& config,
                const std::string& extra_params) {
    const fs::path src = fs::path(GAZETTE_SHARED_DATA) / name;
    const fs::path dir = work / name;
    fs::remove_all(dir);
    fs::create_directories(dir / "in");
    // The corpus with lang=en, so that language detection on short abstracts cannot vary.
    {
        std::ifstream in(src / "corpus.jsonl");
        std::ofstream out(dir / "in" / "corpus.jsonl");
        for (std::string line; std::getline(in, line);) {
            if (line.empty()) {
                continue;
            }
            auto v = boost::json::parse(line).as_object();
            v["lang"] = "en";
            out << boost::json::serialize(v) << '\n';
        }
    }
    const fs::path data = dir / "data";
    if (run({GAZETTE_INDEXER_BIN, "index", "--data-dir", data.string(), "--config", config,
             (dir / "in").string()},
            dir / "index.log") != 0) {
        throw std::runtime_error("indexing " + name + " failed; see " + (dir / "index.log").string());
    }
    const fs::path ready = dir / "port";
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::FILE* f = std::freopen((dir / "searchd.log").c_str(), "w", stdout);
        (void)f;
        ::dup2(::fileno(stdout), 2);
        const std::vector<std::string> argv = {GAZETTE_SEARCHD_BIN, "--data-dir", data.string(), "--config",
                                               config, "--listen", "127.0.0.1:0", "--threads", "2",
                                               "--ready-file", ready.string()};
        std::vector<char*> args;
        for (const auto& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    unsigned short port = 0;
    for (int i = 0; i < 300 && port == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        std::ifstream in(ready);
        int p = 0;
        if (in >> p && p > 0) {
            port = static_cast<unsigned short>(p);
        }
    }
    if (port == 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        throw std::runtime_error("searchd did not start for " + name);
    }
    // readiness: wait for /readyz
    for (int i = 0; i < 100; ++i) {
        try {
            if (http_get(port, "/readyz").first == 200) {
                break;
            }
        } catch (const std::exception&) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }

    std::map<std::string, Judgements> qrels;
    {
        std::ifstream in(src / "qrels.tsv");
        for (std::string line; std::getline(in, line);) {
            std::istringstream ls(line);
            std::string qid, doc;
            int grade = 0;
            if (std::getline(ls, qid, '\t') && std::getline(ls, doc, '\t') && ls >> grade) {
                qrels[qid][doc] = grade;
            }
        }
    }
    Scores s;
    std::ifstream queries(src / "queries.tsv");
    for (std::string line; std::getline(queries, line);) {
        const auto tab = line.find('\t');
        if (tab == std::string::npos) {
            continue;
        }
        const std::string qid = line.substr(0, tab);
        const auto judged = qrels.find(qid);
        if (judged == qrels.end()) {
            continue; // trec_eval: judged queries only
        }
        const std::string target = "/search?limit=100&snippet=0&facets=&op=or&q=" +
                                   url_encode(plain_words(line.substr(tab + 1))) + extra_params;
        auto [status, body] = http_get(port, target);
        // The shipped config rate-limits clients; a judged query must not be scored as a miss
        // because the evaluator outran the limit, so honour 429 and retry.
        for (int attempt = 0; status == 429 && attempt < 20; ++attempt) {
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
            std::tie(status, body) = http_get(port, target);
        }
        std::vector<std::string> ranking;
        if (status == 200) {
            boost::system::error_code ec;
            const boost::json::value v = boost::json::parse(body, ec);
            if (ec || !v.is_object()) {
                std::cerr << name << " q" << qid << ": unreadable response " << body.substr(0, 200) << "\n";
                continue;
            }
            for (const auto& h : v.at("hits").as_array()) {
                ranking.emplace_back(h.at("id").as_string());
            }
        } else {
            std::cerr << name << " q" << qid << ": HTTP " << status << " " << body.substr(0, 200) << "\n";
        }
        s.ndcg10 += gazette::bench::ndcg_at(ranking, judged->second, 10);
        s.map += gazette::bench::average_precision(ranking, judged->second);
        s.recall100 += gazette::bench::recall_at(ranking, judged->second, 100);
        ++s.queries;
    }
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
    if (s.queries > 0) {
        const auto n = static_cast<double>(s.queries);
        s.ndcg10 /= n;
        s.map /= n;
        s.recall100 /= n;
    }
    return s;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"gazette_bench_relevance: nDCG@10 / MAP / Recall@100 over searchd's HTTP API"};
    std::vector<std::string> collections = {"cacm", "cisi", "cranfield", "medline",
                                            "npl",  "lisa", "adi",       "beir-scifact"};
    std::string config = (fs::path(GAZETTE_SOURCE_DIR) / "config" / "gazette.toml").string();
    std::string work;
    std::string params;
    bool keep = false;
    app.add_option("--collection", collections, "collections to evaluate (default: all judged ones)");
    app.add_option("--config", config, "gazette config for indexer and searchd");
    app.add_option("--work-dir", work, "where indexes are built (default: a new temp dir)");
    app.add_option("--params", params, "extra query-string parameters for every query, e.g. '&prf=0'");
    app.add_flag("--keep", keep, "keep the work dir");
    CLI11_PARSE(app, argc, argv);
    if (work.empty()) {
        std::string pattern = (fs::temp_directory_path() / "gazette-relevance-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            std::cerr << "mkdtemp failed\n";
            return 1;
        }
        work = pattern;
    }
    std::printf("%-13s %7s %9s %8s %8s %10s %8s\n", "collection", "queries", "nDCG@10", "BM25ref", "delta",
                "MAP@100", "R@100");
    double sum_ndcg = 0;
    double sum_ref = 0;
    int n = 0;
    int failures = 0;
    for (const auto& c : collections) {
        try {
            const Scores s = evaluate(c, work, config, params);
            const double ref = kReferenceNdcg.count(c) ? kReferenceNdcg.at(c) : 0.0;
            std::printf("%-13s %7zu %9.4f %8.3f %+7.1f%% %10.4f %8.4f\n", c.c_str(), s.queries, s.ndcg10, ref,
                        ref > 0 ? 100.0 * (s.ndcg10 - ref) / ref : 0.0, s.map, s.recall100);
            std::fflush(stdout);
            sum_ndcg += s.ndcg10;
            sum_ref += ref;
            ++n;
        } catch (const std::exception& e) {
            std::cerr << c << ": " << e.what() << "\n";
            ++failures;
        }
    }
    if (n > 0) {
        std::printf("%-13s %7s %9.4f %8.3f %+7.1f%%\n", "average", "", sum_ndcg / n, sum_ref / n,
                    100.0 * (sum_ndcg - sum_ref) / sum_ref);
    }
    if (!keep) {
        std::error_code ec;
        fs::remove_all(work, ec);
    }
    return failures == 0 ? 0 : 1;
}
