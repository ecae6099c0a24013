// COP Hub helpline widget: put
//   <script src="https://YOUR-COPHUB/static/helplines/widget.js" data-country="KE" data-lang="sw" async></script>
// where the finder should appear. It adds one iframe from COP Hub; nothing else is loaded.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var base = script.src.replace(/\/static\/helplines\/widget(\.[0-9a-f]+)?\.js.*$/, "");
  var country = (script.getAttribute("data-country") || "").toUpperCase();
  var lang = script.getAttribute("data-lang") || "en";
  // The interface speaks the six ITU languages; helpline names may exist in more (e.g. sw).
  var ui = ["ar", "zh-hans", "en", "fr", "ru", "es"].indexOf(lang) >= 0 ? lang : "en";
  var frame = document.createElement("iframe");
  // The one answer (best helpline, its pairs, the emergency number) unless data-all="1".
  var query = [];
  if (ui !== lang) { query.push("lang=" + encodeURIComponent(lang)); }
  if (script.getAttribute("data-all") === "1") { query.push("all=1"); }
  frame.src = base + "/" + ui + "/widget/" + encodeURIComponent(country) + "/" +
    (query.length ? "?" + query.join("&") : "");
  frame.title = script.getAttribute("data-title") || "Helplines";
  frame.loading = "lazy";
  frame.referrerPolicy = "no-referrer";
  frame.style.cssText = "border:0;width:100%;max-width:36rem;height:" + (script.getAttribute("data-height") || "420") + "px";
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
