import { z } from 'zod'
import { CiString, openEnum, OcpiString, URL } from '../types'

// BusinessDetails and Image (mod_locations.asciidoc, "BusinessDetails class" and "Image class"): used by locations,
// credentials roles and hosted parties alike, so every one of them accepts and converts the same images.

const IMAGE_CATEGORIES = ['CHARGER', 'ENTRANCE', 'LOCATION', 'NETWORK', 'OPERATOR', 'OTHER', 'OWNER'] as const
/** 2.3.0: an OpenEnum; 2.2.1: the same values, closed. */
export const ImageCategory = openEnum(IMAGE_CATEGORIES)
export const ImageCategory221 = z.enum(IMAGE_CATEGORIES)

const imageFields = {
  url: URL,
  thumbnail: URL.optional(),
  type: CiString(4),
  width: z.number().int().max(99999).optional(),
  height: z.number().int().max(99999).optional(),
}
export const Image = z.object({ ...imageFields, category: ImageCategory })
export type Image = z.infer<typeof Image>
export const Image221 = z.object({ ...imageFields, category: ImageCategory221 })
export type Image221 = z.infer<typeof Image221>

export const BusinessDetails = z.object({ name: OcpiString(100), website: URL.optional(), logo: Image.optional() })
export type BusinessDetails = z.infer<typeof BusinessDetails>
export const BusinessDetails221 = BusinessDetails.extend({ logo: Image221.optional() })
export type BusinessDetails221 = z.infer<typeof BusinessDetails221>

const isImageCategory221 = (category: string): category is z.infer<typeof ImageCategory221> => (IMAGE_CATEGORIES as readonly string[]).includes(category)

// An image category added by a 2.3.0 party has no 2.2.1 equivalent: OTHER is the closed enum's catch-all.
export const imageTo221 = (image: Image): Image221 => ({ ...image, category: isImageCategory221(image.category) ? image.category : 'OTHER' })

export function businessDetailsTo221<T extends BusinessDetails>(details: T): T & BusinessDetails221 {
  return (details.logo === undefined ? details : { ...details, logo: imageTo221(details.logo) }) as T & BusinessDetails221
}
