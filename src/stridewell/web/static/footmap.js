// Foot map (templates/_foot_map.html): the drawings toggle the checkboxes and mirror them.
// The checkboxes stay the keyboard path; shapes answer pointers, touch and screen-reader
// touch exploration. On a phone a tap on a small view first makes it big (44 px targets).
(function () {
  "use strict";
  var PHONE = "(max-width: 39.99rem)";
  function init(map) {
    var line = map.querySelector(".fm-selected-list");
    var bar = map.querySelector(".fm-zoom-bar");
    function boxes() {
      return map.querySelectorAll('input[type="checkbox"][name="locations"]');
    }
    function paint(id, on) {
      var shapes = map.querySelectorAll('.fm-region[data-region="' + id + '"]');
      for (var i = 0; i < shapes.length; i++) {
        shapes[i].classList.toggle("fm-on", on);
        shapes[i].setAttribute("aria-checked", on ? "true" : "false");
      }
    }
    function sync() {
      var all = boxes(), names = [];
      for (var i = 0; i < all.length; i++) {
        paint(all[i].value, all[i].checked);
        if (all[i].checked && all[i].labels && all[i].labels[0]) names.push(all[i].labels[0].textContent.trim());
      }
      if (line) line.textContent = names.length ? names.join("; ") : "nothing yet";
    }
    function zoom(view) {
      var views = map.querySelectorAll(".fm-view");
      for (var i = 0; i < views.length; i++) views[i].classList.toggle("fm-big", views[i] === view);
      map.classList.toggle("fm-zoomed", !!view);
      if (bar) bar.hidden = !view;
      if (view && view.scrollIntoView) view.scrollIntoView({ block: "nearest" });
    }
    sync();
    window.addEventListener("pageshow", sync); // the browser may restore ticks on Back
    map.classList.add("fm-js");
    if (bar) bar.querySelector("button").addEventListener("click", function () { zoom(null); });
    map.addEventListener("click", function (event) {
      var view = event.target.closest && event.target.closest(".fm-view");
      if (!view) return;
      if (window.matchMedia(PHONE).matches && !view.classList.contains("fm-big")) {
        zoom(view); // too small to aim at on a phone: make it big first
        return;
      }
      var shape = event.target.closest(".fm-region");
      if (!shape) return;
      var box = document.getElementById("loc-" + shape.getAttribute("data-region"));
      if (!box || box.disabled) return;
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    });
    map.addEventListener("change", function (event) {
      if (event.target.name === "locations") sync();
    });
  }
  function start() {
    var maps = document.querySelectorAll("fieldset.fm");
    for (var i = 0; i < maps.length; i++) init(maps[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
