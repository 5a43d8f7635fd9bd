#include "indexer/replica/primary_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

namespace gazette::indexer::replica {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace json = boost::json;

Result<PrimaryEndpoint> parse_primary_url(const std::string& url) {
    std::string rest = url;
    if (rest.starts_with("http://")) {
        rest = rest.substr(7);
    } else if (rest.find("://") != std::string::npos) {
        return Error(ErrorCode::bad_request,
                     fmt::format("primary '{}': only http:// is supported", url));
    }
    while (!rest.empty() && rest.back() == '/') {
        rest.pop_back();
    }
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size() ||
        rest.find('/') != std::string::npos) {
        return Error(ErrorCode::bad_request, fmt::format("primary '{}' is not HOST:PORT", url));
    }
    PrimaryEndpoint e;
    e.host = rest.substr(0, colon);
    e.port = rest.substr(colon + 1);
    if (e.port.find_first_not_of("0123456789") != std::string::npos) {
        return Error(ErrorCode::bad_request,
                     fmt::format("primary '{}': port is not a number", url));
    }
    return e;
}

Result<PrimaryState> parse_generations_body(const std::string& body) {
    boost::system::error_code ec;
    const json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) {
        return Error(ErrorCode::bad_json, "GET /generations: the answer is not a JSON object");
    }
    const auto& o = v.as_object();
    PrimaryState state;
    if (const auto* live = o.if_contains("live"); live != nullptr && live->is_string()) {
        state.live = std::string(live->as_string());
    }
    const auto* gens = o.if_contains("generations");
    if (gens == nullptr || !gens->is_array()) {
        return Error(ErrorCode::bad_json, "GET /generations: no 'generations' array");
    }
    for (const auto& g : gens->as_array()) {
        const auto* name = g.is_object() ? g.as_object().if_contains("name") : nullptr;
        if (name == nullptr || !name->is_string()) {
            return Error(ErrorCode::bad_json, "GET /generations: an entry has no 'name'");
        }
        state.generations.emplace_back(name->as_string());
    }
    return state;
}

Result<PrimaryState> fetch_primary_state(const PrimaryEndpoint& endpoint) {
    try {
        boost::asio::io_context io;
        boost::asio::ip::tcp::resolver resolver(io);
        beast::tcp_stream stream(io);
        stream.expires_after(endpoint.timeout);
        stream.connect(resolver.resolve(endpoint.host, endpoint.port));

        http::request<http::empty_body> req{http::verb::get, "/generations", 11};
        req.set(http::field::host, endpoint.host);
        req.set(http::field::user_agent, "gazette-indexer-follow");
        if (!endpoint.admin_key.empty()) {
            req.set(http::field::authorization, "Bearer " + endpoint.admin_key);
        }
        req.keep_alive(false);
        http::write(stream, req);

        beast::flat_buffer buffer;
        http::response<http::string_body> res;
        http::read(stream, buffer, res);
        boost::system::error_code ignored;
        stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);

        if (res.result_int() != 200) {
            return Error(res.result_int() == 401 || res.result_int() == 403
                             ? ErrorCode::unauthorized
                             : ErrorCode::not_ready,
                         fmt::format("GET /generations on {}:{} answered {}: {}",
                                     endpoint.host,
                                     endpoint.port,
                                     res.result_int(),
                                     res.body().substr(0, 200)));
        }
        return parse_generations_body(res.body());
    } catch (const std::exception& e) {
        return Error(
            ErrorCode::not_ready,
            fmt::format(
                "cannot reach the primary {}:{}: {}", endpoint.host, endpoint.port, e.what()));
    }
}

} // namespace gazette::indexer::replica
