// Upload with a progress bar, then follow the import job until its report is ready.
// Without JavaScript the form posts to its own action (/imports) and lands on the job's page.
(function () {
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData || !window.fetch) return;
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");

  function follow(job) {
    fetch(job.status, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (s) {
        if (s.finished) {
          window.location.assign(job.page);
          return;
        }
        if (s.total) {
          bar.removeAttribute("value");
          bar.max = s.total;
          bar.value = s.done;
        }
        status.textContent = s.summary;
        window.setTimeout(function () { follow(job); }, 1000);
      })
      .catch(function () {
        status.textContent = "Lost touch with the import: it goes on; see its page.";
        window.setTimeout(function () { window.location.assign(job.page); }, 2000);
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/imports");
    xhr.setRequestHeader("Accept", "application/json");
    bar.hidden = false;
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var pct = Math.round((100 * e.loaded) / e.total);
      bar.value = pct;
      status.textContent = pct < 100 ? "Uploading: " + pct + " %" : "Importing your runs…";
    });
    xhr.addEventListener("load", function () {
      if (xhr.status === 202) {
        follow(JSON.parse(xhr.responseText));
        return;
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      status.textContent = "The upload failed: check your connection and try again.";
    });
    xhr.send(new FormData(form));
  });
})();
