# newsdesk's cache tier: Varnish 7 with varnish-modules (xkey). README.md here.
#
# Caches the API's reads for as long as their Cache-Control says (the app sends
# public, max-age=API_CACHE_MAX_AGE and an Age, so view counts are never older
# than that), keyed by URL and Host and the headers the app names in Vary
# (Accept, Accept-Encoding, Origin). Counting POSTs, the preview, the admin and
# everything else outside /api/v1/ go to the app untouched. The app purges
# every stored answer when content changes: PURGE with an xkey-purge header,
# from the addresses in acl purgers only (api/purge.py).
vcl 4.1;

import xkey;

# A deploy sets these two strings (compose: web, 8000).
backend default {
    .host = "web";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = {
        .url = "/healthz/";
        # Healthy from the start; sick after 3 failures in 5 probes (a probe
        # waits behind busy sync workers: a long timeout).
        .initial = 3;
        .interval = 5s;
        .timeout = 5s;
        .window = 5;
        .threshold = 3;
    }
}

# Who may purge: the app's instances (loopback, and the private networks a
# compose or cluster network uses).
acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_recv {
    if (req.method == "PURGE") {
        # A request a proxy forwarded (a TLS terminator or load balancer on
        # the same private network) is a reader's, whatever its address: its
        # X-Forwarded-For names more than the client (Varnish appends that
        # one itself before vcl_recv), or it carries Forwarded.
        if (client.ip !~ purgers
            || req.http.X-Forwarded-For ~ ","
            || req.http.Forwarded) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header missing"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        # Counting POSTs, the admin's forms: never cached, never coalesced.
        return (pass);
    }
    if (req.url !~ "^/api/v1/" || req.url ~ "^/api/v1/preview/") {
        # The admin, the preview (a token per editor), the reader site, health.
        return (pass);
    }
    # API reads answer the same whoever asks: cookies (the reader's visitor id,
    # an editor's session) would only stop Varnish from sharing them.
    unset req.http.Cookie;
    unset req.http.Authorization;
    # Varnish asks the app for gzip and would unzip it for every client that
    # does not accept it: remember who does, so that those who do not get an
    # identity copy of their own (vcl_backend_fetch), stored and sent as is.
    if (req.http.Accept-Encoding ~ "gzip") {
        set req.http.X-Accepts-Gzip = "1";
    } else {
        unset req.http.X-Accepts-Gzip;
    }
    return (hash);
}

sub vcl_hash {
    # Two objects per answer: gzip, and identity (then the built-in hash of
    # URL and Host).
    if (req.http.X-Accepts-Gzip) {
        hash_data("gzip");
    }
    # And per scheme, as the app sees it (Django trusts X-Forwarded-Proto's
    # first value): its answers name their own absolute URLs (pagination,
    # Link), so an https answer must never be served to a plain client.
    if (req.http.X-Forwarded-Proto ~ "^\s*https\s*(,|$)") {
        hash_data("https");
    }
}

sub vcl_backend_fetch {
    if (bereq.http.X-Accepts-Gzip) {
        unset bereq.http.X-Accepts-Gzip;
    } else {
        unset bereq.http.Accept-Encoding;
    }
}

sub vcl_backend_response {
    # Only what the app marked shareable: a 404 or an error without
    # Cache-Control is not kept for Varnish's default TTL.
    if (beresp.http.Cache-Control !~ "(public|max-age)" ||
        beresp.http.Cache-Control ~ "(private|no-store|no-cache)" ||
        beresp.http.Set-Cookie) {
        set beresp.ttl = 1s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # No grace: a stale answer is never served, so counts are at most max-age
    # old (the TTL is max-age less the app's Age).
    set beresp.grace = 0s;
    return (deliver);
}

sub vcl_deliver {
    # The surrogate keys are for Varnish only.
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
