(function () {
  "use strict";
  var body = document.body, controls = document.getElementById("controls");
  var list = document.getElementById("rows"), order = document.getElementById("order");
  controls.hidden = false;
  controls.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-filter]");
    if (!button) return;
    body.setAttribute("data-filter", button.getAttribute("data-filter"));
    controls.querySelectorAll("button[data-filter]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b === button));
    });
  });
  order.addEventListener("change", function () {
    var rows = Array.prototype.slice.call(list.children), key = order.value;
    rows.sort(function (a, b) {
      if (key === "index") return a.dataset.index - b.dataset.index;
      var d = a.dataset.delta - b.dataset.delta;
      return (key === "best" ? -d : d) || a.dataset.index - b.dataset.index;
    });
    list.append.apply(list, rows);
  });
})();
