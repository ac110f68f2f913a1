// Foot map (templates/_foot_map.html): the drawings toggle the checkboxes and mirror them.
// The checkboxes stay the real, keyboard-reachable control; shapes answer the pointer only.
(function () {
  "use strict";
  function paint(map, id, on) {
    var shapes = map.querySelectorAll('.fm-region[data-region="' + id + '"]');
    for (var i = 0; i < shapes.length; i++) shapes[i].classList.toggle("fm-on", on);
  }
  function init(map) {
    // No tabindex on the shapes: they sit in aria-hidden drawings and must never take focus.
    function sync() {
      var boxes = map.querySelectorAll('input[type="checkbox"][name="locations"]');
      for (var i = 0; i < boxes.length; i++) paint(map, boxes[i].value, boxes[i].checked);
    }
    sync();
    window.addEventListener("pageshow", sync); // the browser may restore ticks on Back
    map.classList.add("fm-js");
    map.addEventListener("click", function (event) {
      var shape = event.target.closest && event.target.closest(".fm-region");
      if (!shape) return;
      var box = document.getElementById("loc-" + shape.getAttribute("data-region"));
      if (!box || box.disabled) return;
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    });
    map.addEventListener("change", function (event) {
      var box = event.target;
      if (box.name === "locations" && box.type === "checkbox") paint(map, box.value, box.checked);
    });
  }
  function start() {
    var maps = document.querySelectorAll("fieldset.fm");
    for (var i = 0; i < maps.length; i++) init(maps[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
