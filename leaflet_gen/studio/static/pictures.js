// Shared by the practice editor's and the content desk's scripts: new preview pictures replace
// the shown ones only once every one of them is decoded, so the preview never flashes empty.
(function () {
  "use strict";
  window.showDecoded = function (box, figs) {
    return Promise.all(figs.map(function (f) {
      var img = f.querySelector("img");
      return (img.decode ? img.decode() : Promise.resolve()).catch(function () {});
    })).then(function () {
      box.textContent = "";
      figs.forEach(function (f) { box.appendChild(f); });
    });
  };
}());
