// Choose a picture, frame the square that becomes the avatar (zoom and position), preview both sizes, upload.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api';
import { FormError } from '../../components/States';
import { useT } from '../../i18n';

const OUTPUT_SIZE = 512;

interface Frame {
  zoom: number;
  /** -1 … 1: where the square sits inside the slack left by the zoom. */
  x: number;
  y: number;
}

function cropSquare(image: HTMLImageElement, frame: Frame) {
  const side = Math.min(image.naturalWidth, image.naturalHeight) / frame.zoom;
  const left = (image.naturalWidth - side) / 2 + (frame.x * (image.naturalWidth - side)) / 2;
  const top = (image.naturalHeight - side) / 2 + (frame.y * (image.naturalHeight - side)) / 2;
  return { left, top, side };
}

function draw(canvas: HTMLCanvasElement | null, image: HTMLImageElement, frame: Frame): void {
  const context = canvas?.getContext('2d');
  if (!canvas || !context) return;
  const { left, top, side } = cropSquare(image, frame);
  context.imageSmoothingQuality = 'high';
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, left, top, side, side, 0, 0, canvas.width, canvas.height);
}

export function AvatarCropper({ onUploaded }: { onUploaded: (avatarUrl: string) => void }) {
  const [image, setImage] = useState<HTMLImageElement | null>(null);
  const [frame, setFrame] = useState<Frame>({ zoom: 1, x: 0, y: 0 });
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const large = useRef<HTMLCanvasElement>(null);
  const small = useRef<HTMLCanvasElement>(null);
  const output = useRef<HTMLCanvasElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const t = useT();

  useEffect(() => {
    if (!image) return;
    draw(large.current, image, frame);
    draw(small.current, image, frame);
  }, [image, frame]);

  useEffect(() => () => image && URL.revokeObjectURL(image.src), [image]);

  const choose = (file: File | undefined) => {
    setError(null);
    if (!file) return;
    if (!file.type.startsWith('image/')) {
      setError(new Error(t.t('member.avatar.notImage')));
      return;
    }
    const next = new Image();
    next.onload = () => {
      setFrame({ zoom: 1, x: 0, y: 0 });
      setImage(next);
    };
    next.onerror = () => {
      URL.revokeObjectURL(next.src);
      setError(new Error(t.t('member.avatar.unreadable')));
    };
    next.src = URL.createObjectURL(file);
  };

  const uploadCrop = () => {
    if (!image || !output.current) return;
    draw(output.current, image, frame);
    output.current.toBlob(async (blob) => {
      if (!blob) {
        setError(new Error(t.t('member.avatar.cropFailed')));
        return;
      }
      setProgress(0);
      setError(null);
      try {
        const { avatarUrl } = await api.uploadAvatar(blob, setProgress);
        setImage(null);
        if (fileInput.current) fileInput.current.value = '';
        onUploaded(avatarUrl);
      } catch (uploadError) {
        setError(uploadError);
      } finally {
        setProgress(null);
      }
    }, 'image/png');
  };

  // The horizontal slider keeps left-to-right in every language: it moves the square over the picture, which does not mirror.
  const slider = (key: keyof Frame, label: string, min: number, max: number) => (
    <label class="slider">
      <span>{label}</span>
      <input type="range" dir={key === 'x' ? 'ltr' : undefined} min={min} max={max} step={0.01} value={frame[key]} onInput={(event) => setFrame({ ...frame, [key]: Number(event.currentTarget.value) })} />
    </label>
  );

  return (
    <div class="cropper">
      <label class="button" for="avatar-file">
        {t.t(image ? 'member.avatar.chooseAnother' : 'member.avatar.choose')}
      </label>
      <input ref={fileInput} id="avatar-file" class="visually-hidden" type="file" accept="image/*" onChange={(event) => choose(event.currentTarget.files?.[0])} />
      {image && (
        <div class="cropper-body">
          <div class="cropper-previews" aria-label={t.t('member.avatar.preview')}>
            <canvas ref={large} width={240} height={240} class="crop-large" role="img" aria-label={t.t('member.avatar.large')} />
            <canvas ref={small} width={48} height={48} class="crop-small" role="img" aria-label={t.t('member.avatar.small')} />
          </div>
          <div class="cropper-controls">
            {slider('zoom', t.t('member.avatar.zoom'), 1, 4)}
            {slider('x', t.t('member.avatar.x'), -1, 1)}
            {slider('y', t.t('member.avatar.y'), -1, 1)}
            {progress !== null && (
              <div class="upload-progress">
                <label for="avatar-progress">{t.t('member.avatar.uploading', { progress })}</label>
                <progress id="avatar-progress" max={1} value={progress} />
              </div>
            )}
            <button type="button" class="button button-primary" onClick={uploadCrop} disabled={progress !== null}>
              {t.t('member.avatar.use')}
            </button>
          </div>
          <canvas ref={output} width={OUTPUT_SIZE} height={OUTPUT_SIZE} hidden />
        </div>
      )}
      <FormError error={error} />
    </div>
  );
}
