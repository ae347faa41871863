package cli

import "reflect"

// emptyLists is v with every nil list (slice) inside it made an empty one, so that --json
// output has [] where a list is empty, never null, whatever the types below chose. Byte
// slices (base64 strings, raw JSON) and maps are left as they are.
func emptyLists(v any) any {
	if v == nil {
		return nil
	}
	return emptyListsValue(reflect.ValueOf(v), 0).Interface()
}

// maxListDepth bounds the walk; DTOs are shallow, and a deeper value is left as it is.
const maxListDepth = 64

func emptyListsValue(v reflect.Value, depth int) reflect.Value {
	if depth > maxListDepth {
		return v
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(emptyListsValue(v.Elem(), depth+1))
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(emptyListsValue(v.Elem(), depth+1))
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := range v.NumField() {
			if f := out.Field(i); f.CanSet() {
				f.Set(emptyListsValue(v.Field(i), depth+1))
			}
		}
		return out
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return v
		}
		if v.IsNil() {
			return reflect.MakeSlice(v.Type(), 0, 0)
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(emptyListsValue(v.Index(i), depth+1))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		it := v.MapRange()
		for it.Next() {
			out.SetMapIndex(it.Key(), emptyListsValue(it.Value(), depth+1))
		}
		return out
	}
	return v
}
