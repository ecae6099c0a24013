// Quick exit (docs/decisions/0005 and 0028). Ways out: the button, the Escape key, and Shift
// pressed three times, each press within 5 s of the last (as GOV.UK's "Exit this page"). The
// page is hidden at once, then replaced in history by this site's /exit/, which clears the
// site's cache and storage and answers 303 to the neutral site. /exit/ also leaves a mark (a
// cookie, "1", for 30 minutes): a page of this site shown again by the Back button, from the
// back-forward cache or not, hides and leaves again; a page opened on purpose removes the mark.
// Without JavaScript the button is a plain link to /exit/.
// Loaded without `defer` in <head>: the Back-button check must run before anything is painted.
(function () {
  "use strict";
  var MARK = "cophub_left";
  var SHIFT_WINDOW_MS = 5000;
  var script = document.currentScript;
  var exitPath = (script && script.getAttribute("data-exit")) || "/exit/";

  function marked() {
    return ("; " + document.cookie + ";").indexOf("; " + MARK + "=1;") >= 0;
  }

  function hide() {
    document.documentElement.style.display = "none";
    document.title = "\u200b";
  }

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    hide();
    var target = new URL(exitPath, window.location.href).href;
    if (window.top !== window) {
      try {
        window.top.location.replace(target); // the widget: leave the host page too
        return;
      } catch (error) {
        // a host that forbids it: leave the frame at least
      }
    }
    window.location.replace(target);
  }

  var navigation = window.performance && performance.getEntriesByType
    ? performance.getEntriesByType("navigation")[0]
    : null;
  if (marked()) {
    if (navigation && navigation.type === "back_forward") {
      leave();
      return;
    }
    document.cookie = MARK + "=; path=/; max-age=0; samesite=strict";
  }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && marked()) {
      leave();
    }
  });

  function control() {
    return document.getElementById("quick-exit");
  }

  // The words come from the button's data-* attributes, in the page's language.
  function announce(key) {
    var link = control();
    var status = document.getElementById("quick-exit-status");
    if (link && status) {
      status.textContent = key ? link.getAttribute("data-" + key) || "" : "";
    }
  }

  document.addEventListener("click", function (event) {
    var link = control();
    if (link && event.target instanceof Node && link.contains(event.target)) {
      leave(event);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      leave(event);
    }
  });

  // Shift alone, three times: counted on key up, and only when the key released before it was
  // not typed with Shift (capitals typed in a form never count); any other key starts again.
  var presses = 0;
  var timer = null;
  var lastWasShifted = false;
  function reset(announceIt) {
    presses = 0;
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (announceIt) {
      announce("reset");
    }
  }
  document.addEventListener("keyup", function (event) {
    if (event.key === "Shift" && !lastWasShifted) {
      presses += 1;
      if (timer !== null) {
        window.clearTimeout(timer);
      }
      if (presses >= 3) {
        reset(false);
        announce("leaving");
        leave(event);
        return;
      }
      announce(presses === 1 ? "once" : "twice");
      timer = window.setTimeout(function () { reset(true); }, SHIFT_WINDOW_MS);
    } else if (event.key !== "Shift" && presses > 0) {
      reset(false);
      announce(null);
    }
    lastWasShifted = event.key !== "Shift" && event.shiftKey;
  });
})();
