/* The search page. The page works without this script: it then says that search needs
   JavaScript and lists the ways to browse. This script shows the search form instead, loads
   the Pagefind index that the build wrote under /pagefind/ (only from this site: no other
   server is contacted), and lists results as the reader types. Results are announced through
   the status line, a polite live region; focus stays where the reader put it. No inline
   scripts: a Content-Security-Policy of script-src 'self' 'wasm-unsafe-eval' allows it. */
(function () {
  "use strict";
  var form = document.querySelector("[data-search]");
  if (!form) { return; }
  var fallback = document.querySelector("[data-search-fallback]");
  var why = document.querySelector("[data-search-why]");
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  var more = document.querySelector("[data-search-more]");
  var fields = ["q", "kind", "category", "sort"].filter(function (name) { return form.elements[name]; });
  var PAGE_SIZE = 10;
  var engine = null;
  var results = [];
  var shown = 0;
  var latest = 0;

  function field(name) {
    var element = form.elements[name];
    return element ? element.value.trim() : "";
  }

  function loadEngine() {
    if (!engine) {
      // A module imported from a classic script: a browser too old for import() never runs this
      // file at all, and the reader keeps the page's own fallback text.
      engine = import(form.getAttribute("data-search-index")).then(function (pagefind) {
        return pagefind.options({ baseUrl: form.getAttribute("data-search-base") }).then(function () {
          return pagefind;
        });
      });
    }
    return engine;
  }

  function searchOptions() {
    var filters = {};
    if (field("kind")) { filters.kind = field("kind"); }
    if (field("category")) { filters.category = field("category"); }
    var options = { filters: filters };
    if (field("sort")) { options.sort = { date: field("sort") === "oldest" ? "asc" : "desc" }; }
    return options;
  }

  function remember() {
    var query = new URLSearchParams();
    fields.forEach(function (name) { if (field(name)) { query.set(name, field(name)); } });
    var text = query.toString();
    window.history.replaceState(null, "", window.location.pathname + (text ? "?" + text : ""));
  }

  function run(now) {
    var term = field("q");
    var mine = ++latest;
    if (!term && !field("kind") && !field("category")) {
      remember();
      show([], "");
      return;
    }
    loadEngine().then(function (pagefind) {
      // Without words, the filters alone choose: every post in a category, say.
      return now ? pagefind.search(term || null, searchOptions())
                 : pagefind.debouncedSearch(term || null, searchOptions(), 300);
    }).then(function (found) {
      if (found === null || mine !== latest) { return; }  // a later query has taken over
      results = found.results;
      shown = 0;
      list.textContent = "";
      return showMore(mine).then(function () {
        if (mine === latest) {
          remember();  // the address changes with the results, not with each key pressed
          show(results, term);
        }
      });
    }).catch(failed);
  }

  function show(found, term) {
    if (!found.length) {
      list.textContent = "";
      more.hidden = true;
    }
    status.textContent = describe(found.length, term);
  }

  function describe(count, term) {
    if (!term && !field("kind") && !field("category")) { return ""; }
    var words = term ? " for \u2018" + term + "\u2019" : "";
    if (count === 0) {
      return "No results" + words + ". Try other or fewer words, or another choice under Show or Category.";
    }
    var noun = count === 1 ? " result" : " results";
    var part = shown < count ? " Showing the first " + shown + "." : "";
    return count + noun + words + "." + part;
  }

  function showMore(mine) {
    var next = results.slice(shown, shown + PAGE_SIZE);
    return Promise.all(next.map(function (result) { return result.data(); })).then(function (pages) {
      if (mine !== latest) { return null; }  // the reader has typed on meanwhile
      var first = null;
      pages.forEach(function (page) {
        var item = renderResult(page);
        first = first || item;
        list.appendChild(item);
      });
      shown += pages.length;
      more.hidden = shown >= results.length;
      return first;
    });
  }

  function renderResult(page) {
    var item = document.createElement("li");
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = page.url;
    link.textContent = page.meta.title || page.url;
    heading.appendChild(link);
    var about = document.createElement("p");
    about.className = "meta";
    about.textContent = page.meta.kind || "";
    if (page.meta.date) {
      about.appendChild(document.createTextNode(about.textContent ? ", " : ""));
      var time = document.createElement("time");
      if (page.meta.datetime) { time.setAttribute("datetime", page.meta.datetime); }
      time.textContent = page.meta.date;
      about.appendChild(time);
    }
    var excerpt = document.createElement("p");
    appendExcerpt(excerpt, page.excerpt || "");
    item.appendChild(heading);
    item.appendChild(about);
    item.appendChild(excerpt);
    return item;
  }

  // Pagefind's excerpt is escaped text with the matched words in <mark>. Only text and <mark>
  // are carried over, so nothing in it can become markup of the page.
  function appendExcerpt(target, excerpt) {
    var parsed = new DOMParser().parseFromString(excerpt, "text/html").body;
    Array.prototype.forEach.call(parsed.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        target.appendChild(mark);
      } else {
        target.appendChild(document.createTextNode(node.textContent));
      }
    });
    if (!/[.!?]$/.test(target.textContent)) { target.appendChild(document.createTextNode("\u2026")); }
  }

  function failed(error) {
    form.hidden = true;
    fallback.hidden = false;
    why.textContent = "Search could not be loaded (" + (error && error.message ? error.message : "unknown error") +
      "). Everything can still be found by browsing:";
    status.textContent = "Search could not be loaded.";
  }

  function start() {
    var given = new URLSearchParams(window.location.search);
    fields.forEach(function (name) {
      var element = form.elements[name];
      var value = given.get(name);
      if (value === null) { return; }
      if (element.tagName === "SELECT" && !Array.prototype.some.call(element.options, function (o) { return o.value === value; })) {
        return;  // an old link naming a category that no longer exists
      }
      element.value = value;
    });
    fallback.hidden = true;
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run(true);
    });
    form.elements.q.addEventListener("input", function () {
      if (field("q")) {  // fetch the index's parts for these letters while the reader types on
        loadEngine().then(function (pagefind) { pagefind.preload(field("q"), searchOptions()); }).catch(failed);
      }
      run(false);
    });
    form.elements.q.addEventListener("focus", function () { loadEngine().catch(failed); });
    fields.filter(function (name) { return name !== "q"; }).forEach(function (name) {
      form.elements[name].addEventListener("change", function () { run(true); });
    });
    more.querySelector("button").addEventListener("click", function () {
      showMore(latest).then(function (first) {
        status.textContent = describe(results.length, field("q"));
        // Focus moves to the first new result, so that Tab goes on from there.
        if (first) { first.querySelector("a").focus(); }
      }).catch(failed);
    });
    if (field("q") || field("kind") || field("category")) { run(true); }
  }

  start();
}());
