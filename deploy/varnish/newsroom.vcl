# Varnish in front of Newsroom (Debian's varnish 7 with varnish-modules for vmod xkey).
#
# What it does, in the site's own terms (docs/architecture.md, "Caching"):
# - keeps what the site says it may keep: anonymous GET/HEAD answers whose Cache-Control has
#   s-maxage (the pages and the API's public reads); the browser still gets max-age=0;
# - tags every kept object with the keys of the site's Surrogate-Key header (vmod xkey), so
#   that the site's purge after a change (`PURGE` with an `xkey-purge` header naming keys)
#   drops exactly the objects showing what changed; `PURGE` with `X-Purge-All: 1` drops all;
# - passes everything personal: signed-in users (the session cookie), the admin and desk,
#   previews, any request with an Authorization header, and every write;
# - drops tracking query parameters the site ignores anyway (utm_*, fbclid, gclid...) and
#   sorts the rest, so that one page is kept once.
#
# The backends and the purge ACL are in backends.vcl (edit that one, not this file).

vcl 4.1;

import std;
import xkey;

include "backends.vcl";

sub vcl_recv {
    call newsroom_backend;
    # Says to the site that this request's answer may be kept here: the site then reads what
    # changed afresh instead of trusting its last reading for a moment (CACHE_GENERATION_TRUST_MS),
    # so no copy older than a purge is kept after it.
    set req.http.Surrogate-Capability = {"newsroom="Surrogate/1.0""};

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "PURGE is not allowed from this address"));
        }
        if (req.http.X-Purge-All) {
            ban("obj.status != 0");
            return (synth(200, "Banned every object"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone + " objects"));
        }
        return (purge);
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);  # writes (the API's POST/PUT/PATCH/DELETE, forms) always reach the site
    }
    if (req.url ~ "^/(admin|desk|preview)(/|$)" || req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);  # signed in: pages may differ and must show edits at once
    }
    # Anonymous readers' other cookies (csrftoken, analytics) change nothing the site shows.
    unset req.http.Cookie;

    # The site reads only the parameters a page declares; tracking ones would only split the cache.
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "(?i)([?&])(utm_[a-z0-9_]+|fbclid|gclid|gclsrc|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid|ref_src)=[^&#]*", "\1");
        set req.url = regsuball(req.url, "&{2,}", "&");
        set req.url = regsub(req.url, "\?&+", "?");
        set req.url = regsub(req.url, "[?&]+$", "");
        set req.url = std.querysort(req.url);
    }
    return (hash);
}

sub vcl_backend_response {
    # xkey indexes the object under each key the site named.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Only what the site allows shared caches to keep (s-maxage), for as long as it says
    # (which ends at the next scheduled change of what readers see). Static files with a
    # long max-age are kept too. No grace: an expired page is never served while refetched,
    # so a story scheduled for 12:00:00 shows at that second.
    if (beresp.http.Cache-Control !~ "s-maxage" && beresp.http.Cache-Control !~ "max-age=[1-9]") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    set beresp.grace = 0s;
    return (deliver);
}

sub vcl_deliver {
    # The keys are for caches; readers need not see the xkey copy.
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
