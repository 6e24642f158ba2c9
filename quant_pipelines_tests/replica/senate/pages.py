"""The replica's error pages, in the shapes the real front ends serve them."""

# Akamai's refusal page (govfolio saw it as the 403 body for non-browser clients).
ACCESS_DENIED = b"""<HTML><HEAD>
<TITLE>Access Denied</TITLE>
</HEAD><BODY>
<H1>Access Denied</H1>

You don't have permission to access "http&#58;&#47;&#47;efdsearch&#46;senate&#46;gov&#47;search&#47;" on this server.<P>
Reference&#32;&#35;18&#46;7c2e1002&#46;1751716620&#46;1f2a3b4c
<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;18&#46;7c2e1002&#46;1751716620&#46;1f2a3b4c</P>
</BODY>
</HTML>
"""

# A bot wall answered with HTTP 200: the page is not the report that was asked for.
REQUEST_REJECTED = (
    b"<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. "
    b"Please consult with your administrator.<br><br>Your support ID is: 1234567890123456789</body></html>"
)

UNAVAILABLE = b"<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>"

# Django's CSRF failure page, shortened.
CSRF_FAILED = (
    b'<!DOCTYPE html><html lang="en"><head><title>403 Forbidden</title></head><body>'
    b"<h1>Forbidden <span>(403)</span></h1><p>CSRF verification failed. Request aborted.</p></body></html>"
)

NOT_FOUND = (
    b"<!DOCTYPE html><html><head><title>Not Found</title></head><body><h1>Not Found</h1></body></html>"
)
