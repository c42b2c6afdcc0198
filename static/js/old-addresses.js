/* Old addresses with a query string (WordPress's /?p=123), for hosts that cannot redirect them
   (GitHub Pages): on the home page and the 404 page only, and only when the address has a
   query string, the list of them (data/redirects.yaml, published as old-addresses.json) is
   fetched and the reader sent on. Without JavaScript the reader stays on this page. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !location.search) { return; }
  fetch(script.getAttribute("data-addresses"), {credentials: "same-origin"})
    .then(function (answer) { return answer.ok ? answer.json() : {}; })
    .then(function (addresses) {
      var here = location.pathname + location.search;
      var target = addresses[here] || addresses[decodeURIComponent(here)];
      if (target) { location.replace(target + location.hash); }
    })
    .catch(function () { /* no list, no redirect: the page as it is */ });
}());
