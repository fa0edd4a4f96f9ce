// The caller's own account: read, edit the profile, change the password, replace the avatar.
import { Router, type Request, type Response } from 'express';
import { MulterError } from 'multer';
import type { AuthResult, AvatarResult } from '../../shared/api';
import type { AppContext } from '../context';
import { Invalid, PayloadTooLarge } from '../errors';
import { MAX_UPLOAD_BYTES, type ImageInput } from '../media/images';
import { avatarUrl, presentMe } from '../presenters/user';
import { changePassword } from '../services/accounts';
import { replaceAvatar, updateProfile } from '../services/profiles';
import { passwordChangeSchema, profileSchema } from './account-schemas';
import { clientAddress, signedIn, signedInUser, type Auth } from './auth';
import { imageUploads, uploadedImages } from './image-uploads';
import { parseBody } from './validation';


/** One image; one byte over the cap still reaches encodeImage, whose 413 is the one we send. */
const avatarUpload = imageUploads({ fileSize: MAX_UPLOAD_BYTES + 1, files: 1, fields: 0, parts: 1 }, (upload) => upload.single('image'));

function receiveAvatar(req: Request, res: Response): Promise<ImageInput> {
  return new Promise((resolve, reject) => {
    avatarUpload(req, res, (error: unknown) => {
      if (error instanceof MulterError && error.code === 'LIMIT_FILE_SIZE') return reject(new PayloadTooLarge('errors.image.tooLarge', { megabytes: MAX_UPLOAD_BYTES / (1024 * 1024) }));
      if (error instanceof MulterError && error.code === 'LIMIT_UNEXPECTED_FILE') {
        return reject(new Invalid('image', 'errors.field.imageField', { field: error.field }));
      }
      if (error) return reject(error);
      const [image] = uploadedImages(req);
      if (!image) return reject(new Invalid('image', 'errors.field.imageMissing'));
      resolve(image);
    });
  });
}

export function meRouter(ctx: AppContext, auth: Auth): Router {
  const router = Router();

  router.get('/me', auth.requireUser, async (req, res) => {
    res.json(presentMe(await signedInUser(req)));
  });

  router.patch('/me', auth.requireUser, async (req, res) => {
    const changes = parseBody(profileSchema, req.body);
    res.json(presentMe(await updateProfile(ctx, signedIn(req)._id, changes)));
  });

  router.put('/me/password', auth.requireUser, async (req, res) => {
    const { currentPassword, newPassword } = parseBody(passwordChangeSchema, req.body);
    const result = await changePassword(ctx, await signedInUser(req), currentPassword, newPassword, clientAddress(req));
    res.json({ user: presentMe(result.user), token: result.token } satisfies AuthResult);
  });

  router.put('/me/avatar', auth.requireUser, async (req, res) => {
    const upload = await receiveAvatar(req, res);
    const user = await replaceAvatar(ctx, signedIn(req)._id, upload);
    res.json({ avatarUrl: avatarUrl(user.avatarKey)! } satisfies AvatarResult);
  });

  return router;
}
