// Upload with a progress bar; without JavaScript the form posts normally.
(function () {
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    bar.hidden = false;
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var pct = Math.round((100 * e.loaded) / e.total);
      bar.value = pct;
      status.textContent = pct < 100 ? "Uploading: " + pct + " %" : "Importing your runs…";
    });
    xhr.addEventListener("load", function () {
      document.open();
      document.write(xhr.responseText);
      document.close();
      history.replaceState(null, "", "/training");
    });
    xhr.addEventListener("error", function () {
      status.textContent = "The upload failed: check your connection and try again.";
    });
    xhr.send(new FormData(form));
  });
})();
