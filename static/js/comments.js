/* Comments after consent. The page names the comments host; nothing is requested from it
   until the reader presses "Show comments", or ticked "always" before, or the site turned
   consent off. No inline scripts: this file is the only script, so a strict
   Content-Security-Policy works. */
(function () {
  "use strict";
  var KEY = "placepress-comments-always";
  var box = document.querySelector("[data-comments]");
  if (!box) { return; }
  var ask = box.querySelector("[data-comments-ask]");
  var loadButton = box.querySelector("[data-comments-load]");
  var remember = box.querySelector("[data-comments-remember]");
  var auto = box.querySelector("[data-comments-auto]");
  var forget = box.querySelector("[data-comments-forget]");
  var status = box.querySelector("[data-comments-status]");
  var mount = box.querySelector("[data-comments-mount]");
  var config = JSON.parse(box.getAttribute("data-comments-config"));
  var host = box.getAttribute("data-comments-host");
  var loaded = false;

  function always() {
    try { return window.localStorage.getItem(KEY) === "yes"; } catch (e) { return false; }
  }

  function setAlways(yes) {
    try {
      if (yes) { window.localStorage.setItem(KEY, "yes"); } else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* storage blocked: the choice lasts for this page only */ }
  }

  function setGlobals() {
    var globals = config.globals || {};
    Object.keys(globals).forEach(function (name) { window[name] = globals[name]; });
    if (config.disqus) {
      var page = config.disqus;
      window.disqus_config = function () {
        this.page.identifier = page.identifier;
        this.page.url = page.url;
        this.page.title = page.title;
      };
    }
  }

  function load() {
    if (loaded) { return; }
    loaded = true;
    setGlobals();
    ask.hidden = true;
    mount.hidden = false;
    status.textContent = "Loading comments from " + host + "\u2026";
    var script = document.createElement("script");
    script.src = config.src;
    script.async = true;
    Object.keys(config.attributes || {}).forEach(function (name) {
      script.setAttribute(name, config.attributes[name]);
    });
    script.addEventListener("load", function () { status.textContent = ""; });
    script.addEventListener("error", function () {
      status.textContent = "The comments could not be loaded from " + host + ". Try again later.";
    });
    mount.parentNode.insertBefore(script, mount.nextSibling);
  }

  loadButton.addEventListener("click", function () {
    if (remember.checked) {
      setAlways(true);
      auto.hidden = false;
    }
    load();
    mount.setAttribute("tabindex", "-1");
    mount.focus();
  });

  forget.addEventListener("click", function () {
    setAlways(false);
    auto.textContent = "Comments will no longer load automatically. This page keeps the ones already shown until you leave it.";
  });

  if (box.getAttribute("data-comments-consent-required") === "false") {
    load();
  } else if (always()) {
    auto.hidden = false;
    load();
  } else {
    ask.hidden = false;
  }
}());
