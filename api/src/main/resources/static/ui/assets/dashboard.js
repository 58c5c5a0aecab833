// The dashboard's only script: transcript words seek the clip that holds them; file uploads stream with progress.
(function () {
  'use strict';

  // Clicking a transcript word plays the clip that contains it, from that word.
  document.addEventListener('click', function (ev) {
    var word = ev.target.closest && ev.target.closest('button.w');
    if (!word) return;
    var t = parseFloat(word.dataset.t);
    var note = document.getElementById('seek-note');
    var clips = document.querySelectorAll('article.clip');
    for (var i = 0; i < clips.length; i++) {
      var c = clips[i];
      var start = parseFloat(c.dataset.start), end = parseFloat(c.dataset.end);
      var video = c.querySelector('video');
      if (video && t >= start && t < end) {
        var seek = function () { video.currentTime = t - start; video.play().catch(function () {}); };
        if (video.readyState >= 1) seek(); else video.addEventListener('loadedmetadata', seek, { once: true });
        video.scrollIntoView({ block: 'nearest' });
        if (note) note.textContent = 'Playing clip ' + c.dataset.rank + ' from ' + word.title + '.';
        return;
      }
    }
    if (note) note.textContent = 'No clip holds the moment at ' + word.title + ' (only the highlights are rendered).';
  });

  // A chosen file is uploaded first (streamed to storage, with progress), then the form submits its sourceUrl.
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (form.id !== 'submit-form') return;
    var file = form.querySelector('#file');
    if (!file || !file.files.length || form.dataset.uploaded) return;
    ev.preventDefault();
    var f = file.files[0];
    var status = document.getElementById('upload-status');
    var bar = document.getElementById('upload-progress');
    var max = parseInt(form.dataset.maxUpload, 10);
    if (max && f.size > max) {
      status.textContent = 'The file is larger than the ' + max + ' bytes allowed (videopipe.uploads.max-size).';
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/ui/uploads?filename=' + encodeURIComponent(f.name));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('X-CSRF-Token', form.querySelector('input[name=_csrf]').value);
    bar.hidden = false;
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round(100 * e.loaded / e.total);
        status.textContent = 'Uploading ' + bar.value + '%';
      }
    };
    xhr.onload = function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 201) {
        status.textContent = 'Uploaded ' + body.filename + '; submitting…';
        form.querySelector('#sourceUrl').value = body.sourceUrl;
        form.dataset.uploaded = 'true';
        HTMLFormElement.prototype.submit.call(form);
      } else {
        status.textContent = 'Upload refused: ' + (body.detail || xhr.status);
      }
    };
    xhr.onerror = function () { status.textContent = 'Upload failed: the connection broke.'; };
    xhr.send(f);
  });
})();
