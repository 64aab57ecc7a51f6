// Progressive enhancement for the calculator: a button that adds essential-oil rows (up to the form's
// maximum) and one that prints the recipe card. Without JavaScript the six rows and the browser's print work.
(function () {
  "use strict";
  var printButton = document.querySelector(".print-button");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }
  var list = document.querySelector(".oil-rows");
  if (!list) { return; }
  var maximum = 12;
  var add = document.createElement("button");
  add.type = "button";
  add.textContent = "Add another oil";
  add.className = "add-row";
  list.parentNode.insertBefore(add, list.nextSibling);
  function update() { add.hidden = list.children.length >= maximum; }
  add.addEventListener("click", function () {
    var rows = list.children;
    var last = rows[rows.length - 1];
    var index = rows.length;
    var row = last.cloneNode(true);
    row.querySelectorAll("[id], [for], [name], [aria-describedby]").forEach(function (node) {
      ["id", "for", "name", "aria-describedby"].forEach(function (attribute) {
        var value = node.getAttribute(attribute);
        if (value) { node.setAttribute(attribute, value.replace(/oils-\d+-/g, "oils-" + index + "-")); }
      });
    });
    row.querySelectorAll("label").forEach(function (label) {
      label.textContent = label.textContent.replace(/\d+$/, String(index + 1));
    });
    row.querySelectorAll(".error, .hint").forEach(function (node) { node.remove(); });
    row.querySelectorAll(".invalid").forEach(function (node) { node.classList.remove("invalid"); });
    row.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
    row.querySelectorAll("[aria-describedby]").forEach(function (node) { node.removeAttribute("aria-describedby"); });
    row.querySelector("select").value = "";
    row.querySelector("input").value = "1";
    list.appendChild(row);
    update();
    row.querySelector("select").focus();
  });
  update();
}());
